package io.crosszone.layers;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers point down only (docs/architecture.md): a change that makes a lower layer reach up,
 * closes a package cycle, or gives a pure planner a gateway fails the build here.
 */
class LayeringTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("io.crosszone");
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        slices().matching("io.crosszone.(**)").should().beFreeOfCycles().check(main);
    }

    @Test
    void lowerLayersNeverReachUpIntoTasksCliOrLab() {
        noClasses().that().resideInAnyPackage("io.crosszone.config..", "io.crosszone.plan..", "io.crosszone.k8s..",
                        "io.crosszone.rocketmq..", "io.crosszone.report..")
                .should().dependOnClassesThat().resideInAnyPackage("io.crosszone.tasks..", "io.crosszone.cli..",
                        "io.crosszone.lab..")
                .check(main);
    }

    @Test
    void coreIsTheBottom() {
        noClasses().that().resideInAPackage("io.crosszone.core..")
                .should().dependOnClassesThat().resideInAnyPackage("io.crosszone.config..", "io.crosszone.plan..",
                        "io.crosszone.k8s..", "io.crosszone.rocketmq..", "io.crosszone.report..", "io.crosszone.tasks..",
                        "io.crosszone.cli..", "io.crosszone.lab..")
                .check(main);
    }

    @Test
    void tasksNeverReachIntoCliOrLab() {
        noClasses().that().resideInAPackage("io.crosszone.tasks..")
                .should().dependOnClassesThat().resideInAnyPackage("io.crosszone.cli..", "io.crosszone.lab..")
                .check(main);
    }

    @Test
    void pureTaskPackagesNeverUseEachOther() {
        // one task's internals are not another's: shared pieces live in io.crosszone.tasks or below
        for (String task : new String[] {"labelzones", "controllermode", "affinity", "verify", "drill"}) {
            noClasses().that().resideInAPackage("io.crosszone.tasks." + task + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(otherTasks(task))
                    .check(main);
        }
    }

    @Test
    void purePlannersUseNoGatewayNorClient() {
        noClasses().that().resideInAPackage("io.crosszone.plan..")
                .or().haveSimpleNameEndingWith("Plan")
                .or().haveSimpleNameEndingWith("Checks")
                .or().haveSimpleNameEndingWith("Verifier")
                .should().dependOnClassesThat().haveFullyQualifiedName("io.crosszone.k8s.KubernetesGateway")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.crosszone.rocketmq.RocketMqGateway")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.crosszone.rocketmq.RocketMqAccess")
                .orShould().dependOnClassesThat().resideInAnyPackage("io.fabric8.kubernetes.client..",
                        "org.apache.rocketmq.tools..", "org.apache.rocketmq.client..")
                .check(main);
    }

    private static String[] otherTasks(String task) {
        return java.util.Arrays.stream(new String[] {"labelzones", "controllermode", "affinity", "verify", "drill"})
                .filter(t -> !t.equals(task))
                .map(t -> "io.crosszone.tasks." + t + "..")
                .toArray(String[]::new);
    }
}
