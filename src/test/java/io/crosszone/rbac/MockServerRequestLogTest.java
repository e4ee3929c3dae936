package io.crosszone.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The recorder against the real fabric8 client and the mock API server in CRUD mode: what a
 * task's client sends comes back as the requests RBAC checks, and a fixture's or another
 * client's requests can be left out.
 */
@EnableKubernetesMockClient(crud = true)
class MockServerRequestLogTest {
    static KubernetesMockServer server;
    static KubernetesClient client;

    private static final String NS = DeclaredApiNeeds.NS;
    private static final ResourceDefinitionContext BROKERS = new ResourceDefinitionContext.Builder()
            .withGroup("rocketmq.apache.org").withVersion("v1alpha1").withKind("Broker").withPlural("brokers").withNamespaced(true).build();

    @Test
    void recordsWhatATaskClientDoesAsRbacRequests() throws Exception {
        // fixtures, through the test's own client: recorded too, then dropped
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("k8s-node-01").endMetadata().build()).create();
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("broker-0-0").endMetadata().build()).create();
        client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("data-broker-0-master-0").endMetadata().build()).create();
        client.genericKubernetesResources(BROKERS).inNamespace(NS).resource(new GenericKubernetesResourceBuilder()
                .withApiVersion("rocketmq.apache.org/v1alpha1").withKind("Broker").withNewMetadata().withName("broker").endMetadata().build()).create();
        assertThat(MockServerRequestLog.drain(server)).hasSizeGreaterThanOrEqualTo(4);

        try (KubernetesClient task = taskClient()) {
            task.nodes().list();
            task.nodes().withName("k8s-node-01").edit(n -> new NodeBuilder(n).editMetadata().addToLabels("az", "az1").endMetadata().build());
            task.pods().inNamespace(NS).withLabel("app", "broker").list();
            task.genericKubernetesResources(BROKERS).inNamespace(NS).withName("broker").get();
            task.persistentVolumeClaims().inNamespace(NS).withName("data-broker-0-master-0").delete();
            task.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("backup").endMetadata().build()).create();
            task.leases().inNamespace(NS).resource(new LeaseBuilder().withNewMetadata().withName("crosszone-drill").endMetadata().build()).create();
            Watch w = task.pods().inNamespace(NS).watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, io.fabric8.kubernetes.api.model.Pod resource) {
                }

                @Override
                public void onClose(WatcherException cause) {
                }
            });
            w.close();
        }
        // another client on the same server (an operator double, say) is not the task
        client.pods().inNamespace(NS).list();

        List<RecordedRequest> recorded = MockServerRequestLog.drain(server);
        List<ApiRequest> byTask = MockServerRequestLog.apiRequests(recorded,
                MockServerRequestLog.userAgent(MockServerRequestLog.TASK_USER_AGENT));
        assertThat(byTask.stream().map(ApiRequest::withoutName).distinct().map(ApiRequest::toString).toList())
                .containsExactlyInAnyOrder(
                        "list nodes (cluster-wide)",
                        "get nodes (cluster-wide)",
                        "patch nodes (cluster-wide)",
                        "list pods in rocketmq",
                        "get rocketmq.apache.org/brokers in rocketmq",
                        "delete persistentvolumeclaims in rocketmq",
                        "create configmaps in rocketmq",
                        "create coordination.k8s.io/leases in rocketmq",
                        "watch pods in rocketmq");
        assertThat(MockServerRequestLog.apiRequests(recorded, MockServerRequestLog.all())).hasSizeGreaterThan(byTask.size());

        // and checked against the project's manifests: all of it is allowed but the watch, which no
        // task makes (readiness is polled), so the manifests do not grant it
        RbacPolicy policy = RbacManifestsTest.tasksPolicy();
        assertThat(policy.denied(byTask)).extracting(ApiRequest::toString).containsExactly("watch pods in rocketmq");
    }

    @Test
    void aRequestTheManifestsDoNotAllowIsNamed() {
        MockServerRequestLog.drain(server);
        try (KubernetesClient task = taskClient()) {
            task.secrets().inNamespace(NS).list();
            task.pods().inAnyNamespace().list();
        }
        List<ApiRequest> byTask = MockServerRequestLog.apiRequests(MockServerRequestLog.drain(server),
                MockServerRequestLog.userAgent(MockServerRequestLog.TASK_USER_AGENT));
        assertThat(RbacManifestsTest.tasksPolicy().denied(byTask)).extracting(ApiRequest::toString)
                .containsExactly("list secrets in rocketmq", "list pods (cluster-wide)");
    }

    /** A client like the one a task gets, marked so that its requests can be told apart. */
    private static KubernetesClient taskClient() {
        Config config = new ConfigBuilder(client.getConfiguration()).withUserAgent(MockServerRequestLog.TASK_USER_AGENT).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
