package dev.vigil.meta;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link PostgresServer}, started once for the whole test run and stopped at its end. Without PostgreSQL
 * binaries the tests are skipped with the reason, unless {@code VIGIL_REQUIRE_POSTGRES=1} (as CI sets), which makes
 * them fail.
 */
final class PostgresExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(PostgresExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PostgresServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Optional<Path> bin = PostgresServer.binaries();
        if (bin.isEmpty()) {
            String why = "no PostgreSQL binaries: install Debian's 'postgresql' package or set VIGIL_PG_BIN";
            if ("1".equals(System.getenv("VIGIL_REQUIRE_POSTGRES"))) {
                throw new IllegalStateException(why);
            }
            Assumptions.abort(why);
        }
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        PostgresServer.class,
                        k -> {
                            try {
                                return PostgresServer.start(bin.get());
                            } catch (Exception e) {
                                throw new IllegalStateException("cannot start PostgreSQL from " + bin.get(), e);
                            }
                        },
                        PostgresServer.class);
    }
}
