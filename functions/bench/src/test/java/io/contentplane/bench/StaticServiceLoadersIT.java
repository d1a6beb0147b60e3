package io.contentplane.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * functions/aot/StaticServiceLoaders.java, the build step that rewrites Micronaut AOT's static
 * service loaders of every Lambda jar: run as Maven runs it on a function's real AOT output, refused
 * on output of a shape it does not know, and its result checked inside the status jar as built.
 */
class StaticServiceLoadersIT {

    private static final Path REPO = Path.of("../..").toAbsolutePath().normalize();
    private static final Path TOOL = REPO.resolve("functions/aot/StaticServiceLoaders.java");
    private static final Path STATUS = REPO.resolve("functions/status/target");
    private static final String FACTORIES = "io/contentplane/status/aot/";

    @Test
    void rewritesAFunctionsAotOutputAndChecksWhatItCompiled(@TempDir Path work) throws Exception {
        Path aot = copyAotSources(work);

        Result result = run(aot);

        assertEquals(0, result.exit(), result.output());
        assertTrue(result.output().contains("9 factories rewritten"), result.output());
        String introspections = Files.readString(aot.resolve("static-sources/" + FACTORIES + "BeanIntrospectionReferenceFactory.java"));
        assertTrue(introspections.contains("return new LazyReference(index);"), "introspection references are lazy");
        String definitions = Files.readString(aot.resolve("static-sources/" + FACTORIES + "BeanDefinitionReferenceFactory.java"));
        assertTrue(definitions.contains("case 0: return new "), "definitions are created with new");
        assertFalse(definitions.contains("->") || definitions.contains("ForkJoinPool"), "no lambda, no pool: " + definitions);
        assertTrue(Files.isRegularFile(aot.resolve("classes/" + FACTORIES + "BeanDefinitionReferenceFactory.class")));
        String configurers = Files.readString(aot.resolve("static-sources/" + FACTORIES + "ApplicationContextConfigurerFactory.java"));
        assertTrue(configurers.contains("\"io.contentplane.status.aot.AOTApplicationContextConfigurer\""),
                "AOT's own configurer stays discoverable: " + configurers);
    }

    @Test
    void refusesAotOutputOfAnotherShape(@TempDir Path work) throws Exception {
        Path aot = copyAotSources(work);
        Path factory = aot.resolve("sources/" + FACTORIES + "BeanDefinitionReferenceFactory.java");
        Files.writeString(factory, Files.readString(factory).replace("SERVICE_TYPES = new String[]", "TYPES = new String[]"));

        Result result = run(aot);

        assertEquals(1, result.exit(), result.output());
        assertTrue(result.output().contains("unexpected shape of AOT's factory BeanDefinitionReferenceFactory"), result.output());
    }

    @Test
    void theStatusJarIndexesIntrospectionsWithoutLoadingThem() throws Exception {
        try (InspectingLoader jar = new InspectingLoader(STATUS.resolve("status.jar"))) {
            Object factory = jar.loadClass("io.contentplane.status.aot.BeanIntrospectionReferenceFactory")
                    .getDeclaredConstructor().newInstance();
            Class<?> definitionType = jar.loadClass("io.micronaut.core.io.service.ServiceDefinition");
            Class<?> referenceType = jar.loadClass("io.micronaut.core.beans.BeanIntrospectionReference");
            Method findAll = factory.getClass().getMethod("findAll", Predicate.class);
            Predicate<String> all = name -> true;
            List<?> definitions = ((Stream<?>) findAll.invoke(factory, all)).toList();
            assertTrue(definitions.size() > 100, "the status jar's introspections: " + definitions.size());

            List<String> beanTypes = new ArrayList<>();
            for (Object definition : definitions) {
                Object reference = definitionType.getMethod("load").invoke(definition);
                beanTypes.add((String) referenceType.getMethod("getName").invoke(reference));
                assertTrue((Boolean) referenceType.getMethod("isPresent").invoke(reference));
            }
            String interceptor = "io.micronaut.data.runtime.intercept.DefaultFindOneInterceptor";
            assertTrue(beanTypes.contains(interceptor), "indexed by bean type: " + beanTypes);
            assertEquals(List.of(), definitions.stream().map(d -> name(definitionType, d))
                    .filter(jar::loaded).toList(), "indexing loads no introspection class");

            Object reference = definitionType.getMethod("load").invoke(definitions.get(beanTypes.indexOf(interceptor)));
            Class<?> type = (Class<?>) referenceType.getMethod("getBeanType").invoke(reference);
            assertEquals(interceptor, type.getName());
            String introspectionClass = "io.micronaut.data.runtime.intercept.$DefaultFindOneInterceptor$Introspection";
            assertFalse(jar.loaded(introspectionClass), "the bean type alone loads no introspection");
            Object introspection = referenceType.getMethod("load").invoke(reference);
            assertNotNull(introspection);
            assertTrue(jar.loaded(introspectionClass), "loading the introspection creates the real reference");
        }
    }

    private static String name(Class<?> definitionType, Object definition) {
        try {
            return (String) definitionType.getMethod("getName").invoke(definition);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The status module's AOT output: the sources and service files as AOT generated them, and its
     * compiled classes (AOT's own configurers are compiled against; the factories are compiled anew).
     */
    private static Path copyAotSources(Path work) throws IOException {
        Path aot = work.resolve("aot");
        copyTree(STATUS.resolve("aot/sources"), aot.resolve("sources"));
        copyTree(STATUS.resolve("aot/classes/META-INF"), aot.resolve("classes/META-INF"));
        try (Stream<Path> classes = Files.walk(STATUS.resolve("aot/classes/" + FACTORIES))) {
            for (Path file : classes.filter(Files::isRegularFile).toList()) {
                Path target = aot.resolve("classes").resolve(STATUS.resolve("aot/classes").relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
        return aot;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
    }

    record Result(int exit, String output) {
    }

    /** Runs the tool as the root pom does, with the JDK's source launcher; the status jar holds the module's runtime classpath. */
    private static Result run(Path aot) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, TOOL.toString(), aot.toString(),
                STATUS.resolve("status.jar").toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the tool finished");
        return new Result(process.exitValue(), output);
    }

    /** A class loader over one jar that tells which classes it has loaded. */
    private static final class InspectingLoader extends URLClassLoader {
        InspectingLoader(Path jar) throws IOException {
            super(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        }

        boolean loaded(String name) {
            return findLoadedClass(name) != null;
        }
    }
}
