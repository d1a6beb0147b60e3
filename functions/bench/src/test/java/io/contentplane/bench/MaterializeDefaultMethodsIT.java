package io.contentplane.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * functions/aot/MaterializeDefaultMethods.java, the build step that writes into the jar's classes the interface
 * default methods they inherit: run as Maven runs it on a fixture of the cases it must get right (a more specific
 * default or an abstract redeclaration below, sealed and package-private interfaces, JDK interfaces, generics and
 * bridges, enum constant bodies, super calls), which must answer, and look to reflection, as it did before; and
 * the function jars as built, whose bean definitions' base class carries the defaults.
 */
class MaterializeDefaultMethodsIT {

    private static final Path REPO = AotBuildSteps.REPO;
    private static final Path FIXTURE = REPO.resolve("functions/bench/src/test/resources/defaults/fixture");

    @Test
    void theFixtureAnswersAsBeforeWithTheDefaultsWrittenWhereTheJvmWouldSelectThem(@TempDir Path work) throws Exception {
        Path original = AotBuildSteps.compileToJar(FIXTURE, work, "fixture", "--release", "17", "-parameters");
        Path rewritten = work.resolve("rewritten.jar");
        Files.copy(original, rewritten);

        AotBuildSteps.Result result = AotBuildSteps.run("MaterializeDefaultMethods.java", rewritten, "--report");

        assertEquals(0, result.exit(), result.output());
        Matcher counts = Pattern.compile("(\\d+) default methods materialized in (\\d+) classes").matcher(result.output());
        assertTrue(counts.find(), result.output());
        try (URLClassLoader before = loader(original); URLClassLoader after = loader(rewritten)) {
            List<String> expected = run(before);
            assertEquals(expected, run(after), "each class answers, and reflects, as it did");
            assertTrue(expected.contains("shapes.Hierarchy$SpecialLeaf: Api.plain SpecialLeaf | Special.specialised | "
                    + "Api.reabstracted 7 | Api.annotated v | Api.varargs [a, b] | 1099511627781 | Api.throwing ok | "
                    + "Api.helper | Base.abstractOne | Api.util"), expected.toString());
            assertTrue(expected.contains("shapes.Hierarchy$SuperCaller: SuperCaller:Api.plain SuperCaller | Api.specialised | "
                    + "Api.reabstracted 7 | Api.annotated v | Api.varargs [a, b] | 1099511627781 | Api.throwing ok | "
                    + "Api.helper | Base.abstractOne | Api.util"), expected.toString());
            assertTrue(expected.contains("throws Api.throwing"), expected.toString());
            assertTrue(expected.contains("Book: Named.name") && expected.contains("user: Hidden.hidden"), expected.toString());
            assertTrue(expected.contains("listed: [Api.listed] java.util.List<java.lang.String>"), expected.toString());
            assertTrue(expected.stream().filter(line -> line.contains("interfaces aligned")).allMatch(line -> line.contains("aligned true")),
                    expected.toString());

            // Where the methods went: into the first class that may take each, and nowhere the JVM would choose otherwise.
            List<String> base = declared(after, "shapes.Hierarchy$Base");
            assertTrue(base.containsAll(List.of("plain", "annotated", "varargs", "wide", "throwing", "viaPrivate", "listed")), base.toString());
            assertFalse(base.contains("specialised"), "SpecialLeaf selects Special's: " + base);
            assertFalse(base.contains("reabstracted"), "Middle makes it abstract again: " + base);
            assertEquals(List.of("reabstracted", "specialised"), declared(after, "shapes.Hierarchy$Leaf"),
                    "Leaf inherits Base's, and takes the two Base could not");
            assertTrue(declared(after, "shapes.Hierarchy$SpecialLeaf").contains("specialised"));
            assertTrue(declared(after, "shapes.Sealed$Circle").contains("name"), "Named is Circle's direct, permitted interface");
            assertFalse(declared(after, "shapes.Sealed$Book").contains("name"), "sealed Named cannot become Book's direct interface");
            assertEquals(List.of(), declared(after, "outside.User"), "Hidden cannot be named outside its package");
            assertFalse(declared(after, "shapes.Hierarchy$Ordering").contains("reversed"), "a JDK interface's default");
            assertEquals(List.of("get"), declared(after, "shapes.Hierarchy$Supplied"),
                    "String get() is the jar's; its bridge Object get() is a JDK interface's method");
            assertEquals(List.of("get", "get (bridge)", "wrap"), declared(after, "shapes.Hierarchy$Generics"));
            assertEquals(List.of("compare", "compare (bridge)"), declared(before, "shapes.Hierarchy$Ordering"));
            assertEquals(List.of(), declared(before, "shapes.Hierarchy$Base").stream().filter(m -> !m.equals("abstractOne")).toList());
        }
    }

    @Test
    void theBeanDefinitionsBaseClassInEachFunctionJarImplementsItsDefaults() throws IOException {
        String base = "io/micronaut/context/AbstractInitializableBeanDefinition.class";
        for (String function : List.of("operator", "status", "integration", "distributions", "dispatcher")) {
            Path jarPath = REPO.resolve("functions/" + function + "/target/" + function + ".jar");
            try (JarFile jar = new JarFile(jarPath.toFile()); InputStream in = jar.getInputStream(jar.getEntry(base))) {
                int forwarders = forwardersToInterfaces(in.readAllBytes());
                assertTrue(forwarders >= 100, function + ".jar: " + base + " forwards " + forwarders
                        + " defaults; was MaterializeDefaultMethods run (root pom, materialize-default-methods)?");
            }
        }
    }

    /** Methods whose code calls an interface's method of the same name and descriptor with invokespecial. */
    private static int forwardersToInterfaces(byte[] classFile) {
        int[] count = {0};
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String called, String calledDescriptor, boolean isInterface) {
                        if (opcode == Opcodes.INVOKESPECIAL && isInterface && called.equals(name) && calledDescriptor.equals(descriptor)) {
                            count[0]++;
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return count[0];
    }

    @SuppressWarnings("unchecked")
    private static List<String> run(ClassLoader loader) throws Exception {
        return (List<String>) loader.loadClass("shapes.Fixture").getMethod("run").invoke(null);
    }

    @SuppressWarnings("unchecked")
    private static List<String> declared(ClassLoader loader, String type) throws Exception {
        return (List<String>) loader.loadClass("shapes.Fixture").getMethod("declared", Class.class)
                .invoke(null, loader.loadClass(type));
    }

    private static URLClassLoader loader(Path jar) throws IOException {
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    }
}
