package io.mainloop.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chart {@code helm/mainloop} driven through helm-java (Helm 3 as a native library): lint and
 * template, with a values file or {@code --set} pairs, and the rendered documents parsed with the
 * fabric8 model.
 *
 * <p>helm-java's template returns the release manifest only: hooks (the {@code helm test} pod) and
 * {@code crds/} are left out, as {@code helm install} keeps them apart. So the chart is rendered from a
 * copy in which the hook annotation key {@code helm.sh/hook} reads {@value #HOOK_MARKER}: the test pod
 * then renders like any object, marked, and the tests check the marker's value. CRDs are read from
 * {@code crds/} directly.
 */
final class Chart {

    static final Path ROOT = projectRoot();
    static final Path CHART = ROOT.resolve("helm/mainloop");
    static final Path CI = CHART.resolve("ci");
    static final Path CRD = CHART.resolve("crds/agenttasks.mainloop.io-v1.yml");
    static final Path ARGOCD = ROOT.resolve("argocd");
    static final String RELEASE = "mainloop";
    static final String NAMESPACE = "mainloop";
    static final String KUBE_VERSION = "1.32.0";
    static final String HOOK_MARKER = "mainloop.test/helm-hook";

    static final ObjectMapper YAML = new YAMLMapper();

    private static Path hooksVisible;

    private Chart() {
    }

    /** The repository root: the parent POM's directory (surefire passes it), else the parent of the working directory. */
    private static Path projectRoot() {
        String root = System.getProperty("mainloop.project.root");
        Path path = root != null && !root.isBlank() ? Path.of(root) : Path.of("..");
        return path.toAbsolutePath().normalize();
    }

    /** The {@code ci/*-values.yaml} scenarios, sorted by name. */
    static List<Path> scenarios() {
        try (Stream<Path> files = Files.list(CI)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-values.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code helm lint --strict} of the chart with its own values. */
    static LintResult lint() {
        return new Helm(CHART).lint().strict().call();
    }

    /**
     * {@code helm lint --strict} with a values file: helm-java's lint takes no values file, so a copy of
     * the chart is linted whose {@code values.yaml} is the chart's merged with the file (maps merged key
     * by key, everything else replaced: Helm's own coalescing).
     */
    static LintResult lint(Path valuesFile) {
        Path copy = copyChart("lint-");
        try {
            JsonNode merged = merge(YAML.readTree(CHART.resolve("values.yaml").toFile()), readValues(valuesFile));
            YAML.writeValue(copy.resolve("values.yaml").toFile(), merged);
            return new Helm(copy).lint().strict().call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rendered documents of the chart with a values file (or none) and {@code --set} pairs. */
    static Rendered template(Path valuesFile, Map<String, String> set) {
        return new Rendered(templateText(valuesFile, set));
    }

    /** The chart rendered with {@code --set} pairs only. */
    static Rendered template(Map<String, String> set) {
        return template(null, set);
    }

    /** The rendered YAML text (hooks visible, see the class comment); throws what Helm reports. */
    static String templateText(Path valuesFile, Map<String, String> set) {
        TemplateCommand command = new Helm(hooksVisibleChart()).template()
                .withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
        if (valuesFile != null) {
            command = command.withValuesFile(valuesFile);
        }
        for (Map.Entry<String, String> e : set.entrySet()) {
            command = command.set(e.getKey(), e.getValue());
        }
        return command.call();
    }

    /** Renders a chart (another than mainloop's, e.g. argocd/apps) with {@code --set} pairs. */
    static String templateOf(Path chart, Map<String, String> set) {
        TemplateCommand command = new Helm(chart).template().withName(RELEASE).withNamespace("argocd")
                .withKubeVersion(KUBE_VERSION);
        for (Map.Entry<String, String> e : set.entrySet()) {
            command = command.set(e.getKey(), e.getValue());
        }
        return command.call();
    }

    private static synchronized Path hooksVisibleChart() {
        if (hooksVisible == null) {
            hooksVisible = copyChart("hooks-visible-");
            try (Stream<Path> files = Files.walk(hooksVisible.resolve("templates"))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String text = Files.readString(file);
                    String marked = text.replace("helm.sh/hook:", HOOK_MARKER + ":");
                    if (!marked.equals(text)) {
                        Files.writeString(file, marked);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return hooksVisible;
    }

    private static Path copyChart(String prefix) {
        try {
            Path copies = Files.createDirectories(ROOT.resolve("helm/target/chart-copies"));
            Path dir = Files.createTempDirectory(copies, prefix).resolve("mainloop");
            try (Stream<Path> files = Files.walk(CHART)) {
                for (Path source : files.sorted(Comparator.naturalOrder()).toList()) {
                    Path target = dir.resolve(CHART.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target);
                    }
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readValues(Path file) throws IOException {
        JsonNode node = YAML.readTree(file.toFile());
        return node == null || node.isMissingNode() || node.isNull() ? YAML.createObjectNode() : node;
    }

    /** Helm's coalescing: maps merged key by key, the overlay's scalars and lists win. */
    static JsonNode merge(JsonNode base, JsonNode overlay) {
        if (!(base instanceof ObjectNode baseObject) || !overlay.isObject()) {
            return overlay;
        }
        ObjectNode result = baseObject.deepCopy();
        Iterator<Map.Entry<String, JsonNode>> fields = overlay.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = result.get(field.getKey());
            result.set(field.getKey(), existing == null ? field.getValue() : merge(existing, field.getValue()));
        }
        return result;
    }

    /** Splits a multi-document YAML text into its non-empty documents, as maps. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents(String yaml) {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (MappingIterator<Object> it = YAML.readerFor(Object.class).readValues(yaml)) {
            while (it.hasNext()) {
                Object doc = it.next();
                if (doc instanceof Map<?, ?> map && !map.isEmpty()) {
                    docs.add((Map<String, Object>) map);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    /** The rendered objects, typed by the fabric8 model (custom kinds as GenericKubernetesResource). */
    static final class Rendered {

        final String yaml;
        final List<HasMetadata> objects = new ArrayList<>();

        Rendered(String yaml) {
            this.yaml = yaml;
            for (Map<String, Object> doc : documents(yaml)) {
                try {
                    objects.add(Serialization.unmarshal(YAML.writeValueAsString(doc)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> T one(Class<T> type, String name) {
            List<T> found = all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).toList();
            if (found.size() != 1) {
                throw new AssertionError("expected one " + type.getSimpleName() + " " + name + ", found " + found.size()
                        + " among " + names());
            }
            return found.get(0);
        }

        List<HasMetadata> ofKind(String kind) {
            return objects.stream().filter(o -> kind.equals(o.getKind())).toList();
        }

        Map<String, String> names() {
            Map<String, String> names = new LinkedHashMap<>();
            objects.forEach(o -> names.put(o.getKind() + "/" + o.getMetadata().getName(), o.getApiVersion()));
            return names;
        }
    }
}
