package io.roentgen.cli.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The house rule that packages form a hierarchy: across every module's main code, no Roentgen
 * package imports one that imports it back, directly or around a longer loop. Read from the
 * {@code import} lines of the sources (static imports too), so a new import that closes a loop
 * fails here, naming the files that make each edge. Lives in {@code cli} because {@code cli}
 * is built last: by then every module compiles.
 */
class PackageCyclesTest {
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern IMPORT =
            Pattern.compile("^import\\s+(?:static\\s+)?(io\\.roentgen\\.[\\w.]+(?:\\.\\*)?)\\s*;", Pattern.MULTILINE);

    @Test
    void noPackageCycleInMainCode() throws Exception {
        Path root = repositoryRoot();
        List<String> modules = modules(root);
        Graph graph = new Graph();
        Map<String, Integer> filesPerModule = new TreeMap<>();
        for (String module : modules) {
            Path sources = root.resolve(module).resolve("src/main/java");
            for (Path file : javaFiles(sources)) {
                graph.read(root.relativize(file), Files.readString(file));
                filesPerModule.merge(module, 1, Integer::sum);
            }
        }
        // Not vacuous: every module was read, and the repository has dozens of packages.
        assertEquals(new TreeSet<>(modules), filesPerModule.keySet(), "modules whose main sources were read");
        assertTrue(graph.packages().size() >= 40, "packages found: " + graph.packages().size());
        assertTrue(graph.edgeCount() >= 60, "package imports found: " + graph.edgeCount());

        List<String> cycles = new ArrayList<>();
        for (Set<String> component : graph.stronglyConnectedComponents()) {
            if (component.size() > 1) {
                cycles.add(graph.describe(component));
            }
        }
        assertEquals(List.of(), cycles, "package cycles in main code");
    }

    /** The finder itself: a loop of three packages is one component, a package above it another. */
    @Test
    void findsALoopAroundThreePackages() {
        Graph graph = new Graph();
        graph.read(Path.of("A.java"), "package io.roentgen.a;\nimport io.roentgen.b.B;\n");
        graph.read(Path.of("B.java"), "package io.roentgen.b;\nimport static io.roentgen.c.C.run;\n");
        graph.read(Path.of("C.java"), "package io.roentgen.c;\nimport io.roentgen.a.*;\n");
        graph.read(Path.of("Top.java"), "package io.roentgen.top;\nimport io.roentgen.a.A;\nimport java.util.List;\n");

        List<Set<String>> components = graph.stronglyConnectedComponents();

        assertTrue(components.contains(Set.of("io.roentgen.a", "io.roentgen.b", "io.roentgen.c")), components.toString());
        assertTrue(components.contains(Set.of("io.roentgen.top")), components.toString());
        String description = graph.describe(Set.of("io.roentgen.a", "io.roentgen.b", "io.roentgen.c"));
        assertTrue(description.contains("io.roentgen.c -> io.roentgen.a (C.java)"), description);
    }

    /** The DICOM stack stands on its own: the module that reads DICOM pulls in no deep-learning engine. */
    @Test
    void dicomModuleDependsOnNoDjl() throws Exception {
        Path pom = repositoryRoot().resolve("dicom/pom.xml");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        NodeList dependencies = doc.getElementsByTagName("dependency");
        assertTrue(dependencies.getLength() > 0, "dicom/pom.xml lists its dependencies");
        List<String> forbidden = new ArrayList<>();
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            String coordinates = text(dependency, "groupId") + ":" + text(dependency, "artifactId");
            if (coordinates.startsWith("ai.djl") || coordinates.contains(":roentgen-")) {
                forbidden.add(coordinates);
            }
        }
        assertEquals(List.of(), forbidden, "DJL or Roentgen modules among dicom's dependencies");
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
    }

    /** The nearest directory at or above the working directory whose pom.xml lists modules. */
    static Path repositoryRoot() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(pom) && Files.readString(pom).contains("<modules>")) {
                return dir;
            }
        }
        throw new IllegalStateException("no pom.xml with <modules> above " + Path.of("").toAbsolutePath());
    }

    private static List<String> modules(Path root) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(root.resolve("pom.xml").toFile());
        NodeList nodes = doc.getElementsByTagName("module");
        List<String> modules = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            modules.add(nodes.item(i).getTextContent().trim());
        }
        assertTrue(modules.size() >= 5, "modules in the root pom: " + modules);
        return modules;
    }

    private static List<Path> javaFiles(Path sources) throws IOException {
        if (!Files.isDirectory(sources)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(sources)) {
            return walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    /** Packages and, per edge between two of them, the files whose imports make it. */
    static final class Graph {
        private final Map<String, Map<String, Set<String>>> edges = new TreeMap<>();

        void read(Path file, String source) {
            Matcher pkg = PACKAGE.matcher(source);
            if (!pkg.find()) {
                return; // no package: nothing can import it by name
            }
            String from = pkg.group(1);
            Map<String, Set<String>> out = edges.computeIfAbsent(from, k -> new TreeMap<>());
            Matcher imports = IMPORT.matcher(source);
            while (imports.find()) {
                String to = packageOf(imports.group(1));
                if (!to.equals(from)) {
                    out.computeIfAbsent(to, k -> new TreeSet<>()).add(file.toString());
                }
            }
        }

        /**
         * The package part of an imported name: the segments before the first capitalised one (a
         * type), so {@code a.b.C.D.method} and {@code a.b.*} both give {@code a.b}.
         */
        static String packageOf(String imported) {
            String[] parts = imported.split("\\.");
            StringBuilder pkg = new StringBuilder();
            for (String part : parts) {
                if (part.equals("*") || Character.isUpperCase(part.charAt(0))) {
                    break;
                }
                pkg.append(pkg.length() == 0 ? "" : ".").append(part);
            }
            return pkg.toString();
        }

        Set<String> packages() {
            return edges.keySet();
        }

        int edgeCount() {
            return edges.values().stream().mapToInt(Map::size).sum();
        }

        /** Tarjan's algorithm, iterative so that a deep import chain cannot overflow the stack. */
        List<Set<String>> stronglyConnectedComponents() {
            Map<String, Integer> index = new HashMap<>();
            Map<String, Integer> low = new HashMap<>();
            Deque<String> stack = new ArrayDeque<>();
            Set<String> onStack = new TreeSet<>();
            List<Set<String>> components = new ArrayList<>();
            for (String start : edges.keySet()) {
                if (index.containsKey(start)) {
                    continue;
                }
                Deque<Map.Entry<String, List<String>>> work = new ArrayDeque<>();
                visit(start, index, low, stack, onStack, work);
                while (!work.isEmpty()) {
                    Map.Entry<String, List<String>> frame = work.peek();
                    String v = frame.getKey();
                    List<String> pending = frame.getValue();
                    if (!pending.isEmpty()) {
                        String w = pending.remove(0);
                        if (!index.containsKey(w)) {
                            visit(w, index, low, stack, onStack, work);
                        } else if (onStack.contains(w)) {
                            low.put(v, Math.min(low.get(v), index.get(w)));
                        }
                        continue;
                    }
                    work.pop();
                    if (!work.isEmpty()) {
                        String parent = work.peek().getKey();
                        low.put(parent, Math.min(low.get(parent), low.get(v)));
                    }
                    if (low.get(v).equals(index.get(v))) {
                        Set<String> component = new TreeSet<>();
                        String w;
                        do {
                            w = stack.pop();
                            onStack.remove(w);
                            component.add(w);
                        } while (!w.equals(v));
                        components.add(component);
                    }
                }
            }
            return components;
        }

        private void visit(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                Set<String> onStack, Deque<Map.Entry<String, List<String>>> work) {
            index.put(v, index.size());
            low.put(v, index.get(v));
            stack.push(v);
            onStack.add(v);
            // Only packages of main code are nodes; an import of anything else cannot close a loop.
            List<String> next = new ArrayList<>(edges.getOrDefault(v, Map.of()).keySet());
            next.removeIf(w -> !edges.containsKey(w));
            work.push(Map.entry(v, next));
        }

        /** The component's packages and each edge inside it with the files that make it. */
        String describe(Set<String> component) {
            StringBuilder text = new StringBuilder("cycle " + component + ":");
            for (String from : component) {
                for (Map.Entry<String, Set<String>> edge : edges.getOrDefault(from, Map.of()).entrySet()) {
                    if (component.contains(edge.getKey())) {
                        text.append("\n  ").append(from).append(" -> ").append(edge.getKey())
                                .append(" (").append(String.join(", ", edge.getValue())).append(")");
                    }
                }
            }
            return text.toString();
        }
    }
}
