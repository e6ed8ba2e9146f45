package dev.vigil.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the layering honest: engine libraries (core, sigma, evtx, search) stay free of the server, storage and command line
 * and of I/O of their own, hold no static mutable state, so the same code runs embedded and inside a Flink operator.
 */
class ArchitectureTest {
    private static final String[] ENGINES = {
        "dev.vigil.core..",
        "dev.vigil.sigma..",
        "dev.vigil.evtx..",
        "dev.vigil.search..",
        "dev.vigil.attack..",
        "dev.vigil.incidents.."
    };
    private static final String[] UPPER_LAYERS = {
        "dev.vigil.cli..",
        "dev.vigil.server..",
        "dev.vigil.store..",
        "dev.vigil.meta..",
        "dev.vigil.wal..",
        "dev.vigil.inputs..",
        "dev.vigil.console..",
        "dev.vigil.notify..",
        "dev.vigil.taxii..",
        "dev.vigil.flink.."
    };
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.vigil");
    }

    @Test
    void enginesDoNotDependOnUpperLayers() {
        noClasses()
                .that()
                .resideInAnyPackage(ENGINES)
                .or()
                .resideInAPackage("dev.vigil.formats..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(UPPER_LAYERS)
                .check(classes);
    }

    @Test
    void enginesDoNotUseServerStorageOrCliLibraries() {
        noClasses()
                .that()
                .resideInAnyPackage(ENGINES)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "picocli..",
                        "io.javalin..",
                        "org.duckdb..",
                        "org.sqlite..",
                        "java.sql..",
                        "org.apache.kafka..",
                        "org.apache.flink..",
                        "ch.qos.logback..")
                .check(classes);
    }

    @Test
    void theServersPartsDoNotDependOnTheServerOrTheCommandLine() {
        noClasses()
                .that()
                .resideInAnyPackage("dev.vigil.store..", "dev.vigil.meta..", "dev.vigil.wal..", "dev.vigil.inputs..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.vigil.server..", "dev.vigil.cli..", "io.javalin..")
                .check(classes);
    }

    @Test
    void theSigmaEngineDoesNoIoButReadingRuleFiles() {
        noClasses()
                .that()
                .resideInAPackage("dev.vigil.sigma..")
                .and()
                .doNotHaveFullyQualifiedName("dev.vigil.sigma.SigmaRuleSet$Builder")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("java.nio.file..", "java.net..", "java.nio.channels..")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.io.FileInputStream")
                .check(classes);
    }

    @Test
    void enginesHoldNoStaticMutableState() {
        fields().that()
                .areStatic()
                .and()
                .areDeclaredInClassesThat()
                .resideInAnyPackage(ENGINES)
                .should()
                .beFinal()
                .check(classes);
    }

    @Test
    void nothingUsesJavaSerialization() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.io.ObjectInputStream")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.io.ObjectOutputStream")
                .check(classes);
    }
}
