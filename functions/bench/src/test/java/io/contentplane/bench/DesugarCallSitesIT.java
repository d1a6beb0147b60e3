package io.contentplane.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * functions/aot/DesugarCallSites.java, the build step that writes a Lambda jar's lambda classes and string
 * concatenations at build time: run as Maven runs it on a fixture of every lambda, method-reference and
 * concatenation shape (compiled for Java 17 and for Java 8), which must answer exactly as it did before; and the
 * function jars as built, whose preload lists must name lambda classes that exist.
 */
class DesugarCallSitesIT {

    private static final Path REPO = AotBuildSteps.REPO;
    private static final Path FIXTURE = REPO.resolve("functions/bench/src/test/resources/desugar/fixture");
    private static final Pattern WRITTEN_LAMBDA = Pattern.compile("(.+)\\$\\$Lambda\\$\\d+");
    /**
     * The fixture's sites left to the metafactory: the serializable lambda's (altMetafactory), once where it is
     * made and once in the {@code $deserializeLambda$} method javac writes for it.
     */
    private static final int LEFT_IN_FIXTURE = 2;

    @Test
    void java17ClassesAnswerAsBeforeTheRewrite(@TempDir Path work) throws Exception {
        checkFixture(work, "17");
    }

    @Test
    void java8ClassesJoinANestOfTheirOwnAndAnswerAsBeforeTheRewrite(@TempDir Path work) throws Exception {
        Path desugared = checkFixture(work, "8");
        try (JarFile jar = new JarFile(desugared.toFile())) {
            assertEquals(55, majorVersion(jar, "shapes/Shapes.class"), "a Java 8 host becomes a Java 11 nest host");
            assertEquals(52, majorVersion(jar, "base/Base.class"), "a class without rewritten sites keeps its version");
        }
    }

    @Test
    void aColdStartListLimitsTheLambdaClassesToTheClassesItNames(@TempDir Path work) throws Exception {
        Path jar = compileToJar(work, "17");
        Path list = work.resolve("preload-classes.txt");
        Files.writeString(list, "shapes.Shapes$Nested\n");

        AotBuildSteps.Result result = run(jar, "--cold-start-list", list.toString());

        assertEquals(0, result.exit(), result.output());
        assertTrue(result.output().contains(": 1 call sites rewritten into classes"), result.output());
        try (JarFile rewritten = new JarFile(jar.toFile())) {
            List<String> lambdaClasses = Collections.list(rewritten.entries()).stream().map(JarEntry::getName)
                    .filter(name -> name.contains("$$Lambda$")).toList();
            assertEquals(List.of("shapes/Shapes$Nested$$Lambda$0.class"), lambdaClasses);
        }
    }

    @Test
    void theFunctionJarsHoldTheLambdaClassesTheirPreloadListsName() throws IOException {
        for (String function : List.of("operator", "status", "integration", "distributions")) {
            Path jarPath = REPO.resolve("functions/" + function + "/target/" + function + ".jar");
            try (JarFile jar = new JarFile(jarPath.toFile())) {
                Set<String> entries = Collections.list(jar.entries()).stream().map(JarEntry::getName)
                        .collect(Collectors.toSet());
                List<String> listed;
                try (InputStream in = jar.getInputStream(jar.getEntry("META-INF/contentplane/preload-classes.txt"))) {
                    listed = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                            .filter(name -> WRITTEN_LAMBDA.matcher(name).matches()).toList();
                }
                assertTrue(listed.size() > 100, function + "'s cold start loads lambda classes of the jar: " + listed.size());
                List<String> missing = listed.stream()
                        .filter(name -> !entries.contains(name.replace('.', '/') + ".class")).toList();
                assertTrue(missing.isEmpty(), function + ".jar lacks listed lambda classes " + missing.stream().limit(5).toList()
                        + ": run functions/bench/run.sh --write-preload-lists and rebuild");
            }
        }
    }

    private Path checkFixture(Path work, String release) throws Exception {
        Path original = compileToJar(work, release);
        Path desugared = work.resolve("desugared.jar");
        Files.copy(original, desugared);

        AotBuildSteps.Result result = run(desugared);

        assertEquals(0, result.exit(), result.output());
        Matcher counts = Pattern.compile("(\\d+) call sites rewritten into classes, (\\d+) left to the metafactory; "
                + "(\\d+) string concatenations rewritten into methods").matcher(result.output());
        assertTrue(counts.find(), result.output());
        assertEquals(LEFT_IN_FIXTURE, Integer.parseInt(counts.group(2)), result.output());
        int rewritten = Integer.parseInt(counts.group(1));
        assertTrue(rewritten >= 25, result.output());
        int concatenations = Integer.parseInt(counts.group(3));
        // javac compiles concatenation to StringBuilder calls for Java 8, to StringConcatFactory after.
        assertTrue(release.equals("8") ? concatenations == 0 : concatenations >= 30, result.output());

        try (URLClassLoader before = loader(original); URLClassLoader after = loader(desugared)) {
            List<String> expected = call(before, "run");
            assertEquals(expected, call(after, "run"), "each shape answers as it did");
            assertTrue(expected.contains("same instance per site: true"), expected.toString());
            assertTrue(expected.contains("distinct sites, distinct instances: true 42null"), expected.toString());
            assertTrue(expected.contains("wrong type throws ClassCastException"), expected.toString());
            assertTrue(expected.contains("concat -33001.5nullnullx1.0true9223372036854775807" + "2\u0001\u0002"
                    + "7" + (1L << 40) + "2.5ctrues"), expected.toString());
            assertTrue(expected.contains("array as an object true"), expected.toString());
            assertTrue(expected.contains("toString once each, in order: call1 call2"), expected.toString());

            List<Class<?>> spun = fixtureLambdaClasses(call(before, "lambdas"));
            assertTrue(spun.stream().allMatch(Class::isHidden), "the metafactory spins hidden classes: " + spun);
            List<Class<?>> written = fixtureLambdaClasses(call(after, "lambdas"));
            assertEquals(spun.size(), written.size());
            List<Class<?>> stillSpun = written.stream().filter(Class::isHidden).toList();
            assertEquals(1, stillSpun.size(), "only the serializable lambda still spins: " + stillSpun);
            for (Class<?> type : written) {
                if (!type.isHidden()) {
                    Matcher name = WRITTEN_LAMBDA.matcher(type.getName());
                    assertTrue(name.matches(), type.getName());
                    assertTrue(type.isSynthetic() && Modifier.isFinal(type.getModifiers()), type.getName());
                    assertFalse(type.getGenericInterfaces()[0] instanceof ParameterizedType,
                            "no generic signature, as a lambda class has none: " + type.getName());
                    // The JVM validates the nest both ways: the member names its host, the host lists the member.
                    assertTrue(type.isNestmateOf(type.getClassLoader().loadClass(name.group(1))), type.getName());
                }
            }
        }
        return desugared;
    }

    /** The lambdas the fixture made itself (a JDK method's own lambdas, such as thenComparing's, are left out). */
    private static List<Class<?>> fixtureLambdaClasses(List<Object> lambdas) {
        List<Class<?>> classes = new ArrayList<>();
        for (Object lambda : lambdas) {
            if (lambda.getClass().getName().startsWith("shapes.")) {
                classes.add(lambda.getClass());
            }
        }
        assertTrue(classes.size() >= 25, "the fixture's lambdas: " + classes.size());
        return classes;
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> call(ClassLoader loader, String method) throws Exception {
        return (List<T>) loader.loadClass("shapes.Shapes").getMethod(method).invoke(null);
    }

    private static URLClassLoader loader(Path jar) throws IOException {
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    }

    private static Path compileToJar(Path work, String release) throws IOException {
        return AotBuildSteps.compileToJar(FIXTURE, work, "fixture-" + release, "--release", release, "-Xlint:-options");
    }

    private static int majorVersion(JarFile jar, String entry) throws IOException {
        try (InputStream in = jar.getInputStream(jar.getEntry(entry))) {
            return new ClassReader(in.readAllBytes()).readUnsignedShort(6);
        }
    }

    /** As the root pom's "desugar-call-sites" execution runs it. */
    private static AotBuildSteps.Result run(Path jar, String... options) throws Exception {
        return AotBuildSteps.run("DesugarCallSites.java", jar, options);
    }
}
