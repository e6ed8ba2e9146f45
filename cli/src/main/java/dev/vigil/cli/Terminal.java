package dev.vigil.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether standard output is a terminal, on every JDK from 21 on. */
final class Terminal {
    private Terminal() {}

    static boolean isTerminal() {
        Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            // JDK 22+ returns a Console even when redirected and tells the difference with isTerminal().
            Method m = Console.class.getMethod("isTerminal");
            return (Boolean) m.invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
