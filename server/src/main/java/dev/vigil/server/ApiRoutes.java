package dev.vigil.server;

import io.javalin.config.RoutesConfig;

/** A group of REST routes a capability adds under {@code /api/v1} (intel, ATT&amp;CK, incidents, ...). */
interface ApiRoutes {
    void register(RoutesConfig routes, ApiSupport api);
}
