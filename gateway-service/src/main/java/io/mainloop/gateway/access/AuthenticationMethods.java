package io.mainloop.gateway.access;

import io.mainloop.gateway.config.GatewayConfig;
import io.mainloop.gateway.service.OwnerAuthenticator;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Which ways in the gateway accepts, checked before anything else starts: the owner token
 * ({@code mainloop.gateway.owner-token}), Cloudflare Access ({@code mainloop.gateway.access.*}),
 * or both; never none. A gateway with neither, an owner token shorter than
 * {@value OwnerAuthenticator#MIN_TOKEN_LENGTH} characters, or Access switched on without its team
 * domain, audience and allowed identities does not start, and says which settings to set.
 */
@ApplicationScoped
public class AuthenticationMethods {

    private static final Logger LOG = Logger.getLogger(AuthenticationMethods.class);

    @Inject
    GatewayConfig config;

    void checkAtStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent ignored) {
        List<String> on = check(config.ownerToken(), config.access());
        LOG.infof("authentication: %s", String.join(" and ", on));
    }

    /**
     * The methods these settings switch on ({@code "owner token"}, {@code "Cloudflare Access"}).
     *
     * @throws IllegalStateException naming the settings to set when none is on or one is incomplete;
     *                               the message never repeats a token
     */
    public static List<String> check(Optional<String> ownerToken, GatewayConfig.Access access) {
        List<String> on = new ArrayList<>();
        boolean token = ownerToken.filter(t -> !t.isBlank()).isPresent();
        if (token) {
            OwnerAuthenticator.requireStrongToken(ownerToken);
            on.add("owner token");
        }
        if (access.enabled()) {
            List<String> missing = new ArrayList<>();
            if (blank(access.teamDomain())) {
                missing.add("MAINLOOP_GATEWAY_ACCESS_TEAM_DOMAIN (mainloop.gateway.access.team-domain, e.g. https://myteam.cloudflareaccess.com)");
            }
            if (access.audience().map(List::isEmpty).orElse(true) || access.audience().get().stream().allMatch(String::isBlank)) {
                missing.add("MAINLOOP_GATEWAY_ACCESS_AUDIENCE (mainloop.gateway.access.audience, the Access application's AUD tag)");
            }
            if (access.allowedIdentities().map(List::isEmpty).orElse(true)
                    || access.allowedIdentities().get().stream().allMatch(String::isBlank)) {
                missing.add("MAINLOOP_GATEWAY_ACCESS_ALLOWED_IDENTITIES (mainloop.gateway.access.allowed-identities, comma-separated e-mails or service-token Client IDs)");
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException("Cloudflare Access is enabled (MAINLOOP_GATEWAY_ACCESS_ENABLED=true) but "
                        + String.join(", ", missing) + (missing.size() == 1 ? " is" : " are") + " not set.");
            }
            on.add("Cloudflare Access");
        }
        if (on.isEmpty()) {
            throw new IllegalStateException("No authentication method is configured, so the gateway would let nobody "
                    + "in: set MAINLOOP_GATEWAY_OWNER_TOKEN (mainloop.gateway.owner-token, at least "
                    + OwnerAuthenticator.MIN_TOKEN_LENGTH + " characters; ./mainloop up sets it), or switch on "
                    + "Cloudflare Access with MAINLOOP_GATEWAY_ACCESS_ENABLED=true, MAINLOOP_GATEWAY_ACCESS_TEAM_DOMAIN, "
                    + "MAINLOOP_GATEWAY_ACCESS_AUDIENCE and MAINLOOP_GATEWAY_ACCESS_ALLOWED_IDENTITIES (docs/access.md), or both.");
        }
        return on;
    }

    private static boolean blank(Optional<String> value) {
        return value.map(String::isBlank).orElse(true);
    }
}
