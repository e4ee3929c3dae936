package io.crosszone.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiRequestsTest {
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "GET    | /api/v1/nodes                                                   | list nodes (cluster-wide)",
            "GET    | /api/v1/nodes/k8s-node-01                                       | get nodes k8s-node-01 (cluster-wide)",
            "PATCH  | /api/v1/nodes/k8s-node-01                                       | patch nodes k8s-node-01 (cluster-wide)",
            "GET    | /api/v1/namespaces/rocketmq/pods?labelSelector=app%3Dbroker      | list pods in rocketmq",
            "GET    | /api/v1/namespaces/rocketmq/pods?watch=true&resourceVersion=12   | watch pods in rocketmq",
            "GET    | /api/v1/pods                                                    | list pods (cluster-wide)",
            "DELETE | /api/v1/namespaces/rocketmq/pods/broker-0-0                     | delete pods broker-0-0 in rocketmq",
            "DELETE | /api/v1/namespaces/rocketmq/pods?labelSelector=a%3Db             | deletecollection pods in rocketmq",
            "GET    | /api/v1/namespaces/rocketmq/pods/broker-0-0/log                 | get pods/log broker-0-0 in rocketmq",
            "POST   | /apis/coordination.k8s.io/v1/namespaces/rocketmq/leases          | create coordination.k8s.io/leases in rocketmq",
            "PUT    | /apis/coordination.k8s.io/v1/namespaces/rocketmq/leases/drill    | update coordination.k8s.io/leases drill in rocketmq",
            "PATCH  | /apis/apps/v1/namespaces/rocketmq/statefulsets/broker-0-0/scale  | patch apps/statefulsets/scale broker-0-0 in rocketmq",
            "GET    | /apis/rocketmq.apache.org/v1alpha1/namespaces/rocketmq/brokers/broker | get rocketmq.apache.org/brokers broker in rocketmq",
            "GET    | /apis/rocketmq.apache.org/v1alpha1/brokers                      | list rocketmq.apache.org/brokers (cluster-wide)",
            "GET    | /api/v1/persistentvolumes/pv-1                                  | get persistentvolumes pv-1 (cluster-wide)",
            "GET    | /api/v1/namespaces/rocketmq                                     | get namespaces rocketmq (cluster-wide)",
            "PUT    | /api/v1/namespaces/rocketmq/finalize                            | update namespaces/finalize rocketmq (cluster-wide)",
            "GET    | /api/v1/namespaces                                              | list namespaces (cluster-wide)",
    })
    void mapsAnApiPathToWhatRbacChecks(String method, String path, String expected) {
        assertThat(ApiRequests.fromHttp(method, path)).map(ApiRequest::toString).contains(expected);
    }

    @ParameterizedTest
    @CsvSource({"GET,/api", "GET,/api/v1", "GET,/apis", "GET,/apis/apps/v1", "GET,/version", "GET,/openapi/v2"})
    void discoveryIsNotAResourceRequest(String method, String path) {
        assertThat(ApiRequests.fromHttp(method, path)).isEmpty();
    }
}
