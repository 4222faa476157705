package io.mainloop.gateway.rest;

/** Body of {@code POST /api/session}: {@code {"token": "<owner token>"}}. */
public record LoginRequest(String token) {
}
