package org.dtls4j.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BOM a user imports lists every module this build publishes: a module added later and
 * left out of {@code bom/pom.xml} fails the build here, with the fix in the message.
 *
 * <p>It lives in this module because interop is built after every published module and is
 * itself not published; it reads the poms as files, so it needs none of them built.
 */
class BomListsEveryPublishedModuleTest {

    @Test
    void theBomListsEveryPublishedModuleOfThisBuild() throws IOException {
        // surefire runs with the module's directory as basedir; the reactor root is its parent
        Path root = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).getParent();
        assertThat(root.resolve("bom/pom.xml")).as("the BOM beside this module").exists();

        assertThat(new PublishedModules(root).problems())
                .as("disagreements between bom/pom.xml and the modules of %s", root)
                .isEmpty();
    }

    @Test
    void aPublishedModuleMissingFromTheBomFails(@TempDir Path root) throws IOException {
        write(root, "pom.xml", project("dtls4j-parent", "pom", "",
                "<modules><module>bom</module><module>listed</module><module>internal</module></modules>"
                        + "<profiles><profile><modules><module>added</module><module>deleted</module></modules>"
                        + "</profile></profiles>"));
        write(root, "bom/pom.xml", project("dtls4j-bom", "pom", "",
                "<dependencyManagement><dependencies>" + managed("dtls4j-listed") + managed("dtls4j-deleted")
                        + "</dependencies></dependencyManagement>"));
        write(root, "listed/pom.xml", project("dtls4j-listed", "jar", "", ""));
        write(root, "internal/pom.xml", project("dtls4j-internal", "jar", "true", ""));
        write(root, "added/pom.xml", project("dtls4j-added", "jar", "", ""));

        assertThat(new PublishedModules(root).problems())
                .as("only the published module that the BOM leaves out (a deleted provider's entry may stay)")
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("module added (dtls4j-added) is published but not in bom/pom.xml");
    }

    @Test
    void aBomEntryForAnUnpublishedModuleAndABomParentFail(@TempDir Path root) throws IOException {
        write(root, "pom.xml", project("dtls4j-parent", "pom", "",
                "<modules><module>bom</module><module>internal</module></modules>"));
        write(root, "bom/pom.xml", project("dtls4j-bom", "pom", "",
                "<parent><groupId>org.dtls4j</groupId><artifactId>dtls4j-parent</artifactId></parent>"
                        + "<dependencyManagement><dependencies>" + managed("dtls4j-internal")
                        + "</dependencies></dependencyManagement>"));
        write(root, "internal/pom.xml", project("dtls4j-internal", "jar", "true", ""));

        assertThat(new PublishedModules(root).problems())
                .as("the BOM's parent and its entry for a module that is not published")
                .hasSize(2)
                .anySatisfy(p -> assertThat(p).startsWith("bom/pom.xml has a <parent>"))
                .anySatisfy(p -> assertThat(p).startsWith("bom/pom.xml lists dtls4j-internal"));
    }

    private static String project(String artifactId, String packaging, String deploySkip, String rest) {
        String properties = deploySkip.isEmpty() ? ""
                : "<properties><maven.deploy.skip>" + deploySkip + "</maven.deploy.skip></properties>";
        return "<project><modelVersion>4.0.0</modelVersion><groupId>org.dtls4j</groupId><artifactId>" + artifactId
                + "</artifactId><packaging>" + packaging + "</packaging>" + properties + rest + "</project>";
    }

    private static String managed(String artifactId) {
        return "<dependency><groupId>org.dtls4j</groupId><artifactId>" + artifactId
                + "</artifactId><version>${project.version}</version></dependency>";
    }

    private static void write(Path root, String file, String content) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
    }
}
