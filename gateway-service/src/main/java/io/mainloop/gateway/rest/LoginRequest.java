package io.mainloop.gateway.rest;

import jakarta.validation.constraints.NotBlank;

/** Body of {@code POST /api/session}: {@code {"token": "<owner token>"}}; a blank token is a 400 problem body. */
public record LoginRequest(@NotBlank(message = "token is required") String token) {
}
