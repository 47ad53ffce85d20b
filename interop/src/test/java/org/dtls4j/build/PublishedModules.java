package org.dtls4j.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Reads a reactor's poms and says where its BOM ({@code bom/pom.xml}) and its published modules
 * disagree. A module is published unless its pom sets {@code maven.deploy.skip} to true (the
 * same property the parent turns into skipping its sources and javadoc jars). Modules are those
 * the root pom lists, in {@code <modules>} and in every profile's (a provider is a profile's
 * module, present when its directory is).
 *
 * <p>Not thread-safe; one instance per check.
 */
final class PublishedModules {

    private static final String GROUP = "org.dtls4j";
    private static final String BOM_ARTIFACT = "dtls4j-bom";

    private final Path root;

    PublishedModules(Path root) {
        this.root = root;
    }

    /** Every disagreement, each a sentence that names the module and the fix; empty when none. */
    List<String> problems() throws IOException {
        Element rootPom = read(root.resolve("pom.xml"));
        Element bom = read(root.resolve("bom/pom.xml"));
        List<String> problems = new ArrayList<>();
        if (child(bom, "parent").isPresent()) {
            problems.add("bom/pom.xml has a <parent>: a project that imports the BOM would get the "
                    + "parent's dependencyManagement too; remove it");
        }
        Set<String> listed = bomEntries(bom, problems);
        Set<String> expected = new LinkedHashSet<>();
        Set<String> absentModules = new LinkedHashSet<>();
        for (String module : declaredModules(rootPom)) {
            Path pom = root.resolve(module).resolve("pom.xml");
            if (!Files.exists(pom)) {
                absentModules.add("dtls4j-" + module);
                continue;
            }
            Element project = read(pom);
            String artifact = text(project, "artifactId");
            if (artifact.equals(BOM_ARTIFACT) || !published(project)) {
                continue;
            }
            String entry = artifact + typeSuffix(text(project, "packaging"));
            expected.add(entry);
            if (!listed.contains(entry)) {
                problems.add("module " + module + " (" + artifact + ") is published but not in bom/pom.xml: "
                        + "add it to the BOM's dependencyManagement at ${project.version}, or set "
                        + "maven.deploy.skip to true in " + module + "/pom.xml if it is not published");
            }
        }
        for (String entry : listed) {
            if (!expected.contains(entry) && !absentModules.contains(entry)) {
                problems.add("bom/pom.xml lists " + entry + ", which is no published module of this build: "
                        + "remove it, or publish that module");
            }
        }
        return problems;
    }

    private static Set<String> bomEntries(Element bom, List<String> problems) {
        Set<String> entries = new LinkedHashSet<>();
        Optional<Element> dependencies = child(bom, "dependencyManagement").flatMap(d -> child(d, "dependencies"));
        for (Element dependency : dependencies.map(d -> children(d, "dependency")).orElse(List.of())) {
            String artifact = text(dependency, "artifactId");
            if (!GROUP.equals(text(dependency, "groupId")) || !"${project.version}".equals(text(dependency, "version"))) {
                problems.add("bom/pom.xml: " + artifact + " must be " + GROUP + " at ${project.version}: the BOM "
                        + "manages the dtls4j artifacts of its own version and nothing else");
            }
            entries.add(artifact + typeSuffix(text(dependency, "type")));
        }
        return entries;
    }

    private static List<String> declaredModules(Element rootPom) {
        List<String> modules = new ArrayList<>();
        child(rootPom, "modules").ifPresent(m -> children(m, "module").forEach(e -> modules.add(e.getTextContent().trim())));
        child(rootPom, "profiles").ifPresent(profiles -> children(profiles, "profile").forEach(profile ->
                child(profile, "modules").ifPresent(m ->
                        children(m, "module").forEach(e -> modules.add(e.getTextContent().trim())))));
        return modules;
    }

    private static boolean published(Element project) {
        return child(project, "properties").flatMap(p -> child(p, "maven.deploy.skip"))
                .map(e -> !"true".equals(e.getTextContent().trim()))
                .orElse(true);
    }

    private static String typeSuffix(String type) {
        return type.isEmpty() || type.equals("jar") ? "" : ":" + type;
    }

    private static Element read(Path pom) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("cannot read " + pom + ": " + e.getMessage(), e);
        }
    }

    private static Optional<Element> child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && ((Element) n).getTagName().equals(name)) {
                found.add((Element) n);
            }
        }
        return found;
    }

    private static String text(Element parent, String name) {
        return child(parent, name).map(e -> e.getTextContent().trim()).orElse("");
    }
}
