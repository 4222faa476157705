package io.mainloop.e2e.support;

import io.mainloop.devstack.launcher.LocalStack;
import java.net.URI;
import java.net.http.HttpRequest;

/**
 * Requests a test makes straight to a service's internal API ({@code /api} of memory-, agent- or
 * scheduler-service, bypassing the gateway): they carry the stack's internal API token, as the
 * gateway's calls do.
 */
public final class ServiceApi {

    private ServiceApi() {
    }

    /** A request to {@code path} (with its query) on the service listening on {@code port}. */
    public static HttpRequest.Builder request(LocalStack stack, int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + stack.internalApiToken());
    }

    /** A request to {@code path} on {@code service} (e.g. {@code memory-service}). */
    public static HttpRequest.Builder request(LocalStack stack, String service, String path) {
        return request(stack, stack.port(service), path);
    }
}
