package io.mainloop.gateway.rest;

import io.mainloop.gateway.config.GatewayConfig;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * Puts the internal API token ({@link GatewayConfig#internalApiToken()}) on the gateway's calls to
 * memory-, agent- and scheduler-service as {@code Authorization: Bearer <token>}; registered on
 * each of their REST clients. Without a token configured it adds nothing.
 */
public class InternalApiToken implements ClientRequestFilter {

    @Override
    public void filter(ClientRequestContext request) {
        // read from the configuration, not injected: REST client providers may be created outside CDI
        org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("mainloop.gateway.internal-api-token", String.class)
                .map(String::strip).filter(t -> !t.isEmpty())
                .ifPresent(t -> request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + t));
    }

    /** The {@code Authorization} header value to send, if a token is configured. */
    static java.util.Optional<String> header(GatewayConfig config) {
        return config.internalApiToken().map(String::strip).filter(t -> !t.isEmpty()).map(t -> "Bearer " + t);
    }
}
