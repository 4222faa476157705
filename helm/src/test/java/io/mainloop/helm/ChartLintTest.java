package io.mainloop.helm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code helm lint --strict} of the chart's defaults and of every {@code ci/*-values.yaml} scenario. */
class ChartLintTest {

    static Stream<org.junit.jupiter.api.Named<Path>> scenarios() {
        return Chart.scenarios().stream().map(p -> org.junit.jupiter.api.Named.of(p.getFileName().toString(), p));
    }

    @Test
    void theDefaultsLintStrictly() {
        assertClean(Chart.lint(), "values.yaml");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyScenarioLintsStrictly(Path scenario) {
        assertClean(Chart.lint(scenario), scenario.getFileName().toString());
    }

    @Test
    void theScenariosCoverTheRequiredCases() {
        var names = Chart.scenarios().stream().map(p -> p.getFileName().toString()).toList();
        assertTrue(names.containsAll(java.util.List.of("default-values.yaml", "access-only-values.yaml",
                "cnpg-strimzi-values.yaml", "multi-replica-hpa-values.yaml")), names.toString());
    }

    @Test
    void theSchemaRejectsAnUnknownValue(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path typo = dir.resolve("typo-values.yaml");
        java.nio.file.Files.writeString(typo, "gateway:\n  replicaCont: 2\n");
        LintResult result = Chart.lint(typo);
        assertTrue(result.isFailed(), "a typo'd key fails the lint");
        assertTrue(String.join("\n", result.getMessages()).contains("replicaCont"), result.getMessages().toString());
    }

    static void assertClean(LintResult result, String what) {
        assertFalse(result.isFailed(), what + ": " + result.getMessages());
        // --strict fails on warnings; the only message allowed is the icon recommendation (INFO)
        result.getMessages().forEach(m -> assertTrue(m.startsWith("[INFO]"), what + ": " + m));
    }
}
