package dev.vigil.console;

/**
 * One area of the console: a controller that registers its routes. Adding a page is one class implementing this, one
 * JTE template under {@code src/main/jte} and its texts in both {@code messages*.properties}; pass the class to {@link
 * Console#register(io.javalin.config.JavalinConfig, ConsoleServices, java.util.List)}.
 */
@FunctionalInterface
public interface ConsolePage {
    void register(ConsoleRouter router);
}
