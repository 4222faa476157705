package io.mainloop.gateway.rest;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Puts the {@code Content-Security-Policy} header on every response of the gateway (pages, API,
 * {@code /q}); the other security headers are plain {@code quarkus.http.header} settings in
 * application.properties. The policy allows only same-origin resources ({@code img-src 'self'
 * data:}: model output cannot make the browser load a remote image, and so cannot leak the thread
 * through a URL) and no framing, plugins or foreign form targets.
 *
 * <p>The web app's static build (SvelteKit, adapter-static) starts with one inline bootstrap
 * {@code <script>} in index.html, which {@code script-src 'self'} alone would block (a blank
 * page). Why its hash is computed here, at start-up, from the index.html this jar serves, rather
 * than with SvelteKit's {@code kit.csp}: the header applies whatever a {@code <meta>} policy says
 * (a page obeys both), so the header would need the hash anyway; computed from the served file it
 * always matches the build in the jar, with no hash to copy by hand and no second policy to keep
 * in step. The scripts' hashes are added to {@code script-src} as {@code 'sha256-...'}.
 * Quarkus' Swagger UI page ({@code /q/swagger-ui}) has inline scripts of its own, generated at
 * build time and served from a place that differs between prod and test mode, so they cannot be
 * hashed the same way: its responses allow {@code 'unsafe-inline'} scripts instead. That page is
 * reachable by the owner only and shows Quarkus' own page and the API description, never model
 * output; every other directive stays as strict.
 */
@ApplicationScoped
public class ContentSecurityPolicyFilter {

    /** Runs before {@link OwnerFilter} (higher runs first). */
    static final int PRIORITY = 1000;

    /** The web app's page, as served at {@code /}. */
    static final String INDEX = "META-INF/resources/index.html";

    private static final Logger LOG = Logger.getLogger(ContentSecurityPolicyFilter.class);
    private static final Pattern SCRIPT = Pattern.compile("<script(\\s[^>]*)?>(.*?)</script\\s*>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private volatile String policy;
    private volatile String swaggerPolicy;

    void register(@Observes Filters filters) {
        policy = policy(inlineScriptHashes(read(INDEX)));
        swaggerPolicy = policy(List.of("'unsafe-inline'"));
        filters.register(this::filter, PRIORITY);
    }

    private void filter(RoutingContext rc) {
        String path = rc.normalizedPath();
        boolean swagger = path.equals("/q/swagger-ui") || path.startsWith("/q/swagger-ui/");
        rc.response().putHeader("Content-Security-Policy", swagger ? swaggerPolicy : policy);
        rc.next();
    }

    /** The policy, with {@code scriptSources} (CSP source expressions such as {@code 'sha256-...'}) allowed as scripts too. */
    static String policy(List<String> scriptSources) {
        String scripts = scriptSources.isEmpty() ? "'self'" : "'self' " + String.join(" ", scriptSources);
        return "default-src 'self'; script-src " + scripts + "; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                + "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";
    }

    /** {@code 'sha256-<base64>'} of the text of each inline (no {@code src}) script of {@code html}, in order. */
    static List<String> inlineScriptHashes(String html) {
        List<String> hashes = new ArrayList<>();
        Matcher m = SCRIPT.matcher(html);
        while (m.find()) {
            String attributes = m.group(1) == null ? "" : m.group(1).toLowerCase();
            if (attributes.matches("(?s).*\\bsrc\\s*=.*") || m.group(2).isEmpty()) {
                continue;
            }
            hashes.add("'sha256-" + Base64.getEncoder().encodeToString(sha256(m.group(2))) + "'");
        }
        return hashes;
    }

    /** The page at {@code resource} on the class path, or "" when there is none. */
    private static String read(String resource) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                LOG.warn(resource + " not found: its policy allows no inline script");
                return "";
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
