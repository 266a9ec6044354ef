package com.plantbridge;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The capability packages stay in the layers docs/architecture.md draws: one direction of
 * dependency, no cycles, and every package placed in a layer. Reads the compiled production
 * classes only (the tests reach across packages on purpose).
 */
@AnalyzeClasses(packages = "com.plantbridge",
        importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class, ArchitectureTest.NoTestClasses.class})
class ArchitectureTest {

    private static final String[] LAYERS = {"node", "settings", "tls", "reading", "outbox", "redundancy", "knowledge", "maintainx", "tags",
            "peer", "mirror", "ops"};

    @ArchTest
    static final ArchRule noCyclesBetweenPackages = slices().matching("com.plantbridge.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("node").definedBy("com.plantbridge.node..")
            .layer("settings").definedBy("com.plantbridge.settings..")
            .layer("tls").definedBy("com.plantbridge.tls..")
            .layer("reading").definedBy("com.plantbridge.reading..")
            .layer("outbox").definedBy("com.plantbridge.outbox..")
            .layer("redundancy").definedBy("com.plantbridge.redundancy..")
            .layer("knowledge").definedBy("com.plantbridge.knowledge..")
            .layer("maintainx").definedBy("com.plantbridge.maintainx..")
            .layer("tags").definedBy("com.plantbridge.tags..")
            .layer("peer").definedBy("com.plantbridge.peer..")
            .layer("mirror").definedBy("com.plantbridge.mirror..")
            .layer("ops").definedBy("com.plantbridge.ops..")
            .whereLayer("node").mayNotAccessAnyLayer()
            .whereLayer("settings").mayOnlyAccessLayers("node")
            .whereLayer("tls").mayOnlyAccessLayers("node", "settings")
            .whereLayer("reading").mayOnlyAccessLayers("node", "settings")
            .whereLayer("outbox").mayOnlyAccessLayers("node", "settings", "reading")
            // Leadership is decided from the gateway's redundancy state and the peer's view alone.
            .whereLayer("redundancy").mayOnlyAccessLayers("node", "settings")
            .whereLayer("knowledge").mayOnlyAccessLayers("node", "settings", "reading", "outbox", "redundancy")
            .whereLayer("maintainx").mayOnlyAccessLayers("node", "settings", "reading", "outbox", "redundancy", "knowledge")
            .whereLayer("tags").mayOnlyAccessLayers("node", "settings", "reading", "redundancy", "knowledge", "maintainx")
            .whereLayer("peer").mayOnlyAccessLayers("node", "settings", "tls", "reading", "redundancy", "knowledge")
            .whereLayer("mirror").mayOnlyAccessLayers("node", "settings", "tls", "reading", "redundancy", "knowledge", "tags", "peer")
            .whereLayer("ops").mayNotBeAccessedByAnyLayer();

    /** A new package gets a place in the layers (here and in docs/architecture.md) before it gets code. */
    @ArchTest
    static final ArchRule everyPackageIsALayer = classes().that().resideInAPackage("com.plantbridge..")
            .should().resideInAnyPackage(packages());

    private static String[] packages() {
        String[] packages = new String[LAYERS.length + 1];
        packages[0] = "com.plantbridge";
        for (int i = 0; i < LAYERS.length; i++) {
            packages[i + 1] = "com.plantbridge." + LAYERS[i] + "..";
        }
        return packages;
    }

    /**
     * ArchUnit's DoNotIncludeTests knows Maven's test classes only under target/; the build runs
     * with -DbuildDirectory elsewhere too.
     */
    static final class NoTestClasses implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("/test-classes/");
        }
    }
}
