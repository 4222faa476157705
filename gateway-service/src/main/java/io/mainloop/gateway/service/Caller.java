package io.mainloop.gateway.service;

/**
 * Who made a request, as the authentication decided ({@link io.mainloop.gateway.rest.OwnerFilter}),
 * and the thread that is theirs: every API call and the SSE stream act on {@link #threadId()} only.
 *
 * @param identity {@value #OWNER} for the owner token and its sessions; the e-mail (or a service
 *                 token's Client ID), lower-cased, for Cloudflare Access
 * @param method how the request was authenticated: {@value #TOKEN}, {@value #SESSION} or {@value #ACCESS}
 * @param threadId the caller's own thread
 */
public record Caller(String identity, String method, String threadId) {

    /** The identity of the owner token and its browser sessions. */
    public static final String OWNER = "owner";
    /** Authenticated by the owner token ({@code Authorization: Bearer}). */
    public static final String TOKEN = "token";
    /** Authenticated by a browser session opened with the owner token. */
    public static final String SESSION = "session";
    /** Authenticated by a Cloudflare Access JWT. */
    public static final String ACCESS = "access";

    /** Where the authenticated caller is kept on the request (a Vert.x {@code RoutingContext} attribute). */
    public static final String ATTRIBUTE = "mainloop.caller";
}
