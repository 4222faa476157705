package io.mainloop.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart's documentation: every value in values.yaml has a {@code # --} comment and a row in the
 * chart's README, and the schema knows every value.
 */
class ChartReadmeTest {

    private static final Pattern KEY = Pattern.compile("^(\\s*)([A-Za-z0-9_]+):.*$");
    private static final Pattern DOC = Pattern.compile("^\\s*# -- .+$");

    /** The documented keys (dotted paths) of values.yaml, from its "# --" comments, in order. */
    static Set<String> documentedKeys(List<String> lines) {
        Set<String> keys = new LinkedHashSet<>();
        List<String> stack = new ArrayList<>();
        boolean pending = false;
        for (String line : lines) {
            if (DOC.matcher(line).matches()) {
                pending = true;
                continue;
            }
            if (line.isBlank() || line.trim().startsWith("#") || line.trim().startsWith("- ")) {
                continue;
            }
            Matcher m = KEY.matcher(line);
            if (m.matches()) {
                int depth = m.group(1).length() / 2;
                while (stack.size() > depth) {
                    stack.remove(stack.size() - 1);
                }
                stack.add(m.group(2));
                if (pending) {
                    keys.add(String.join(".", stack));
                }
                pending = false;
            }
        }
        return keys;
    }

    /** The leaves of the values: scalars, lists, and maps that are empty or free-form (documented as a whole). */
    static void leaves(String path, JsonNode node, Set<String> documented, Set<String> out) {
        if (node.isObject() && !documented.contains(path) && node.size() > 0) {
            node.fields().forEachRemaining(f -> leaves(path.isEmpty() ? f.getKey() : path + "." + f.getKey(), f.getValue(), documented, out));
        } else {
            out.add(path);
        }
    }

    @Test
    void everyValueIsDocumentedInValuesYamlAndTheReadme() throws IOException {
        List<String> lines = Files.readAllLines(Chart.CHART.resolve("values.yaml"));
        Set<String> documented = documentedKeys(lines);
        Set<String> leaves = new LinkedHashSet<>();
        leaves("", Chart.YAML.readTree(Chart.CHART.resolve("values.yaml").toFile()), documented, leaves);
        Set<String> undocumented = new LinkedHashSet<>(leaves);
        undocumented.removeAll(documented);
        assertEquals(Set.of(), undocumented, "values without a \"# --\" comment");

        String readme = Files.readString(Chart.CHART.resolve("README.md"));
        List<String> missing = documented.stream().filter(k -> !readme.contains("| `" + k + "` |")).toList();
        assertEquals(List.of(), missing, "values missing from helm/mainloop/README.md");
        assertTrue(documented.size() > 150, "documented values: " + documented.size());
    }

    @Test
    void theSchemaKnowsEveryValue() throws IOException {
        JsonNode schema = Chart.YAML.readTree(Chart.CHART.resolve("values.schema.json").toFile());
        Set<String> leaves = new LinkedHashSet<>();
        Set<String> documented = documentedKeys(Files.readAllLines(Chart.CHART.resolve("values.yaml")));
        leaves("", Chart.YAML.readTree(Chart.CHART.resolve("values.yaml").toFile()), documented, leaves);
        for (String key : leaves) {
            JsonNode s = schema;
            for (String part : key.split("\\.")) {
                assertEquals(false, s.path("additionalProperties").asBoolean(true),
                        "closed object above " + key);
                s = s.path("properties").path(part);
                assertTrue(!s.isMissingNode(), "values.schema.json has no " + key);
            }
        }
    }
}
