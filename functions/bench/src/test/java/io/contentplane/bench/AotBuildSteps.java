package io.contentplane.bench;

import org.objectweb.asm.ClassReader;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The build steps of functions/aot that rewrite a jar, run as the root pom runs them, and the fixtures they are tried on. */
final class AotBuildSteps {

    static final Path REPO = Path.of("../..").toAbsolutePath().normalize();

    private AotBuildSteps() {
    }

    record Result(int exit, String output) {
    }

    /** Runs {@code functions/aot/<tool>} on {@code jar} with the JDK's source launcher, ASM on the classpath. */
    static Result run(String tool, Path jar, String... options) throws Exception {
        String asm = Path.of(ClassReader.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", asm, REPO.resolve("functions/aot").resolve(tool).toString(), jar.toString()));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), tool + " did not finish: " + output);
        return new Result(process.exitValue(), output);
    }

    /** Compiles every source of {@code fixture} with {@code javacOptions} into {@code work/<name>.jar}. */
    static Path compileToJar(Path fixture, Path work, String name, String... javacOptions) throws IOException {
        Path classes = work.resolve("classes-" + name);
        Files.createDirectories(classes);
        List<String> arguments = new ArrayList<>(List.of(javacOptions));
        arguments.addAll(List.of("-d", classes.toString()));
        try (Stream<Path> sources = Files.walk(fixture)) {
            sources.filter(p -> p.toString().endsWith(".java")).forEach(p -> arguments.add(p.toString()));
        }
        int exit = ToolProvider.getSystemJavaCompiler().run(null, null, null, arguments.toArray(String[]::new));
        assertEquals(0, exit, "the fixture compiles: " + name);
        Path jar = work.resolve(name + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream stream = new JarOutputStream(out);
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                stream.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                stream.write(Files.readAllBytes(file));
                stream.closeEntry();
            }
        }
        return jar;
    }
}
