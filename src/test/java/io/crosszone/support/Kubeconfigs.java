package io.crosszone.support;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Kubeconfig files a test writes: context {@code lab} reaches the mock API server, context
 * {@code prod} (the current one) a port where nothing listens, so a run that ignored
 * {@code --context lab} would go to "prod" and fail there.
 */
public final class Kubeconfigs {
    private Kubeconfigs() {
    }

    public static String labUrl(KubernetesMockServer server) {
        String url = server.url("/");
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public static Path write(Path dir, KubernetesMockServer server) throws IOException {
        return write(dir, server, "token: lab-token", "");
    }

    /** With {@code user} as the lab user's fields (YAML, indented by the caller's 4 spaces) and extra clusters. */
    public static Path write(Path dir, KubernetesMockServer server, String user, String extra) throws IOException {
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: lab-cluster
                  cluster:
                    server: %s
                    insecure-skip-tls-verify: true
                - name: prod-cluster
                  cluster:
                    server: https://127.0.0.1:1
                users:
                - name: lab-user
                  user:
                    %s
                - name: prod-user
                  user:
                    token: prod-token
                contexts:
                - name: lab
                  context:
                    cluster: lab-cluster
                    user: lab-user
                    namespace: rocketmq
                - name: prod
                  context:
                    cluster: prod-cluster
                    user: prod-user
                current-context: prod
                %s""".formatted(labUrl(server), user, extra));
        return file;
    }
}
