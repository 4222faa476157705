package io.mainloop.support.rest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InternalApiFilterTest {

    @Test
    void theApiNeedsTheTokenAndMcpAndHealthDoNot() {
        assertTrue(InternalApiFilter.guarded("/api/threads/main/tasks"));
        assertTrue(InternalApiFilter.guarded("/api"));
        assertFalse(InternalApiFilter.guarded("/mcp"));
        assertFalse(InternalApiFilter.guarded("/q/health/ready"));
        assertFalse(InternalApiFilter.guarded("/apis"));
        assertTrue(InternalApiFilter.allowed("Bearer s3cret-token", "s3cret-token"));
        assertFalse(InternalApiFilter.allowed("Bearer other", "s3cret-token"));
        assertFalse(InternalApiFilter.allowed("s3cret-token", "s3cret-token"));
        assertFalse(InternalApiFilter.allowed(null, "s3cret-token"));
    }
}
