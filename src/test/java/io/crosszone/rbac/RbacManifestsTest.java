package io.crosszone.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.rbac.DeclaredApiNeeds.Need;
import io.crosszone.tekton.YamlDocs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * tekton/rbac gives the tasks what they need and nothing more. "Need" is
 * {@link DeclaredApiNeeds} until the end-to-end tests record the tasks' real requests
 * ({@link MockServerRequestLog}); then those recorded requests are checked the same way.
 */
public class RbacManifestsTest {
    private static final Path RBAC = YamlDocs.root().resolve("tekton/rbac");
    private static final List<Path> BASE = List.of(RBAC.resolve("serviceaccount.yaml"), RBAC.resolve("role.yaml"),
            RBAC.resolve("clusterrole.yaml"));

    /** The tasks' ServiceAccount as tekton/rbac grants it (plus the named optional files). */
    public static RbacPolicy tasksPolicy(String... optional) {
        List<Path> files = new ArrayList<>(BASE);
        for (String f : optional) {
            files.add(RBAC.resolve(f));
        }
        return RbacPolicy.forServiceAccount(DeclaredApiNeeds.NS, "crosszone", files);
    }

    @Test
    void theBaseManifestsAllowEveryNeedOfTheTasksAndGrantNothingElse() {
        RbacPolicy policy = tasksPolicy();
        List<ApiRequest> needs = DeclaredApiNeeds.requests(DeclaredApiNeeds.tasks());
        assertThat(policy.denied(needs)).as("needed but not allowed").isEmpty();
        assertThat(policy.unusedRules(needs)).as("allowed but not needed").isEmpty();
    }

    @Test
    void theOptionalManifestsCoverExactlyTheirMode() {
        List<ApiRequest> chaos = DeclaredApiNeeds.requests(DeclaredApiNeeds.chaosMesh());
        assertThat(tasksPolicy().denied(chaos)).as("chaos-mesh needs its optional Role").hasSameSizeAs(chaos);
        RbacPolicy withChaos = tasksPolicy("optional-chaos-mesh.yaml");
        List<ApiRequest> all = new ArrayList<>(DeclaredApiNeeds.requests(DeclaredApiNeeds.tasks()));
        all.addAll(chaos);
        assertThat(withChaos.denied(all)).isEmpty();
        assertThat(withChaos.unusedRules(all)).isEmpty();

        List<ApiRequest> fleet = DeclaredApiNeeds.requests(DeclaredApiNeeds.fleet());
        assertThat(tasksPolicy().denied(fleet)).as("--all-namespaces needs the fleet reader").isNotEmpty();
        RbacPolicy withFleet = tasksPolicy("optional-fleet-reader.yaml");
        List<ApiRequest> all2 = new ArrayList<>(DeclaredApiNeeds.requests(DeclaredApiNeeds.tasks()));
        all2.addAll(fleet);
        assertThat(withFleet.denied(all2)).isEmpty();
        assertThat(withFleet.unusedRules(all2)).isEmpty();
    }

    @Test
    void theTasksCannotTouchOtherNamespacesOrClusterWideObjectsBeyondNodesAndVolumes() {
        RbacPolicy policy = tasksPolicy();
        assertThat(policy.allows("delete", "", "pods", "kube-system")).isFalse();
        assertThat(policy.allows("list", "", "pods", null)).isFalse();
        assertThat(policy.allows("get", "", "secrets", "rocketmq")).isFalse();
        assertThat(policy.allows("delete", "", "nodes", null)).isFalse();
        assertThat(policy.allows("delete", "", "persistentvolumes", null)).isFalse();
        assertThat(policy.allows("create", "tekton.dev", "pipelineruns", "rocketmq")).isFalse();
        assertThat(policy.grants()).allSatisfy(g -> assertThat(g.verb()).isNotEqualTo("*"))
                .allSatisfy(g -> assertThat(g.resource()).doesNotContain("*"));
    }

    @Test
    void theDrillSchedulerMayOnlyCreatePipelineRuns() {
        RbacPolicy scheduler = RbacPolicy.forServiceAccount(DeclaredApiNeeds.NS, "crosszone-drill-scheduler",
                List.of(RBAC.resolve("drill-scheduler.yaml"), RBAC.resolve("role.yaml"), RBAC.resolve("clusterrole.yaml")));
        List<ApiRequest> needs = DeclaredApiNeeds.requests(DeclaredApiNeeds.scheduler());
        assertThat(scheduler.denied(needs)).isEmpty();
        assertThat(scheduler.unusedRules(needs)).isEmpty();
        assertThat(scheduler.allows("get", "", "pods", "rocketmq")).isFalse();
        // and the tasks' account cannot start pipelines
        assertThat(tasksPolicy("optional-chaos-mesh.yaml", "optional-fleet-reader.yaml").allows(needs.get(0))).isFalse();
    }

    @Test
    void everyNeedSaysWhy() {
        List<Need> all = new ArrayList<>(DeclaredApiNeeds.tasks());
        all.addAll(DeclaredApiNeeds.chaosMesh());
        all.addAll(DeclaredApiNeeds.fleet());
        assertThat(all).allSatisfy(n -> assertThat(n.why()).isNotBlank());
    }
}
