import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Rewrites the static service loaders Micronaut AOT generates for a Lambda jar, before the jar is
 * updated with them (root pom, execution "aot-static-service-loaders", right after "micronaut-aot").
 *
 * <p>Why: in JIT mode AOT lists each service's implementations (bean definitions, introspections,
 * converters, ...) in a factory class that submits one lambda per implementation to the common
 * fork-join pool in its static initialiser, and whose definitions create each instance through a
 * method-handle constructor lookup. On a cold start that spins some 500 lambda classes and resolves
 * some 500 constructors: about 100 ms of the status function's 400 ms context start (async-profiler,
 * wall clock). The rewritten factory keeps the very same list and the same {@code findAll} contract,
 * but creates each implementation with a plain {@code new} in one switch: no lambda, no reflection.
 * The function's {@code ClassPreloader} already loads the classes early on a second thread.
 * Introspection references become lazy ({@link #generate}), and the application context configurers,
 * AOT's own included, are listed statically ({@link #withGeneratedImplementations}).
 *
 * <p>Usage: {@code java StaticServiceLoaders.java <aot output dir> <classpath>}. It reads the
 * generated sources under {@code <dir>/sources}, writes the rewritten ones to
 * {@code <dir>/static-sources}, compiles them over {@code <dir>/classes}, and then checks every rewritten
 * factory in a fresh class loader: it finds AOT's implementations in AOT's order, each definition
 * creates an instance of the class it names, and each lazy introspection reference answers as the
 * real one does. Any surprise in AOT's output fails the build rather than passing it by.
 */
public final class StaticServiceLoaders {

    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern FACTORY = Pattern.compile(
            "public class (\\w+) implements SoftServiceLoader\\.StaticServiceLoader<(\\w+)>");
    private static final Pattern LIST = Pattern.compile(
            "private static final String\\[] SERVICE_TYPES = new String\\[] \\{([^}]*)}", Pattern.DOTALL);
    private static final Pattern NAME = Pattern.compile("\"([^\"]+)\"");

    private StaticServiceLoaders() {
    }

    /** One generated factory: its class, the service interface and the implementations it lists. */
    record Factory(String packageName, String simpleName, String serviceType, List<String> implementations) {
        String className() {
            return packageName + "." + simpleName;
        }
    }

    /** A factory's rewritten source and the implementations it keeps, in AOT's order. */
    record Rewrite(Factory factory, List<String> implementations, String source) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java StaticServiceLoaders.java <aot output dir> <classpath>");
            System.exit(2);
        }
        Path aot = Path.of(args[0]);
        String classpath = args[1];
        List<Factory> factories = withGeneratedImplementations(parseAll(aot.resolve("sources")),
                aot.resolve("classes/META-INF/services"));
        if (factories.isEmpty()) {
            throw new IllegalStateException("no static service loader found under " + aot.resolve("sources")
                    + ": is serviceloading.jit.enabled still on, or did AOT change its output?");
        }
        Path out = aot.resolve("static-sources");
        List<Path> sources = new ArrayList<>();
        List<Rewrite> rewrites = new ArrayList<>();
        try (URLClassLoader application = loader(classpath, aot.resolve("classes"))) {
            for (Factory factory : factories) {
                Rewrite rewrite = generate(factory, application);
                Path source = out.resolve(factory.className().replace('.', '/') + ".java");
                Files.createDirectories(source.getParent());
                Files.writeString(source, rewrite.source(), StandardCharsets.UTF_8);
                sources.add(source);
                rewrites.add(rewrite);
            }
        }
        // AOT's own classes (the configurers added above) are compiled against too.
        compile(sources, aot.resolve("classes") + java.io.File.pathSeparator + classpath, aot.resolve("classes"));
        int checked = check(rewrites, aot.resolve("classes"), classpath);
        requireStaticConfiguration(aot.resolve("sources"));
        System.out.printf("static service loaders: %d factories rewritten, %d implementations checked%n",
                factories.size(), checked);
    }

    /**
     * The shared application.yml must have become a Java property source (yaml.to.java.config): if AOT
     * could not convert it (no SnakeYAML on the analysed classpath, a renamed file), the Lambda jar would
     * start without its configuration, or read the file from the jar again on every cold start.
     */
    static void requireStaticConfiguration(Path sources) throws IOException {
        try (Stream<Path> files = Files.walk(sources)) {
            if (files.noneMatch(f -> f.getFileName().toString().equals("ApplicationStaticPropertySource.java"))) {
                throw new IllegalStateException("AOT generated no ApplicationStaticPropertySource under " + sources
                        + ": application.yml was not turned into Java (is SnakeYAML on the function's runtime"
                        + " classpath, and yaml.to.java.config.enabled still on?)");
            }
        }
    }

    /**
     * Adds to each factory the implementations AOT generated itself and registers in its output's
     * service files: AOT analysed the classpath before they existed. Its two application context
     * configurers (the deduced environment, the optimisations) must stay discoverable once the
     * configurers are listed statically too, which spares a zip-file-system walk of the whole jar.
     * Also rewrites those service files without the duplicate lines AOT appends on every build.
     */
    static List<Factory> withGeneratedImplementations(List<Factory> factories, Path services) throws IOException {
        List<Factory> completed = new ArrayList<>();
        for (Factory factory : factories) {
            List<String> implementations = new ArrayList<>(factory.implementations());
            for (String generated : serviceFile(services.resolve(factory.serviceType()))) {
                if (!implementations.contains(generated)) {
                    implementations.add(generated);
                }
            }
            completed.add(new Factory(factory.packageName(), factory.simpleName(), factory.serviceType(), implementations));
        }
        if (Files.isDirectory(services)) {
            try (Stream<Path> files = Files.list(services)) {
                for (Path file : files.toList()) {
                    Files.write(file, serviceFile(file), StandardCharsets.UTF_8);
                }
            }
        }
        return completed;
    }

    /** The distinct implementations a service file lists, in order. */
    static List<String> serviceFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .map(line -> line.replaceAll("#.*", "").trim())
                .filter(line -> !line.isEmpty())
                .distinct()
                .toList();
    }

    static List<Factory> parseAll(Path sources) throws IOException {
        if (!Files.isDirectory(sources)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(sources)) {
            List<Factory> factories = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                Factory factory = parse(Files.readString(file, StandardCharsets.UTF_8));
                if (factory != null) {
                    factories.add(factory);
                }
            }
            return factories;
        }
    }

    /** The factory a generated source declares, or null when it declares none. */
    static Factory parse(String source) {
        Matcher factory = FACTORY.matcher(source);
        if (!factory.find()) {
            return null;
        }
        Matcher pkg = PACKAGE.matcher(source);
        Matcher list = LIST.matcher(source);
        String serviceSimpleName = factory.group(2);
        Matcher serviceImport = Pattern.compile("^import ([\\w.]+\\." + serviceSimpleName + ");", Pattern.MULTILINE)
                .matcher(source);
        if (!pkg.find() || !list.find() || !serviceImport.find()) {
            throw new IllegalStateException("unexpected shape of AOT's factory " + factory.group(1)
                    + " (package, SERVICE_TYPES or service import not found)");
        }
        List<String> names = new ArrayList<>();
        Matcher name = NAME.matcher(list.group(1));
        while (name.find()) {
            names.add(name.group(1));
        }
        return new Factory(pkg.group(1), factory.group(1), serviceImport.group(1), names);
    }

    private static final String INTROSPECTION_REFERENCE = "io.micronaut.core.beans.BeanIntrospectionReference";

    /**
     * The rewritten factory. Implementations that are public with a public no-argument constructor
     * (all that Micronaut generates) are created with {@code new}; any other goes through
     * {@code StaticDefinition.of(name, Class)} as before; one missing from the classpath is left out,
     * as AOT's own factory leaves it out.
     *
     * <p>Introspections get one more step. The first lookup of any introspection makes Micronaut
     * create every introspection reference on the classpath, only to index them by name: some 230 in
     * a function, 200 of them micronaut-data's query interceptors, each a class to load, link and
     * initialise. The rewritten factory hands out a small reference per introspection instead, whose
     * name is known at build time, which loads just the bean class when asked for its type, and which
     * creates the real one the first time anything else is asked of it. (Its presence is settled at build time too: one whose bean class is missing from
     * the classpath is left out.)
     */
    static Rewrite generate(Factory factory, ClassLoader application) throws ReflectiveOperationException {
        boolean introspections = factory.serviceType().equals(INTROSPECTION_REFERENCE);
        List<String> names = new ArrayList<>();
        List<String> beanNames = new ArrayList<>();
        List<Integer> reflective = new ArrayList<>();
        for (String implementation : factory.implementations()) {
            Access access = access(implementation, application);
            if (access == Access.MISSING) {
                System.out.println("static service loaders: " + implementation + " is not on the classpath, left out");
                continue;
            }
            if (introspections) {
                if (access == Access.REFLECTIVE) {
                    throw new IllegalStateException(implementation + ": an introspection reference without a public constructor");
                }
                Object reference = Class.forName(implementation, true, application).getDeclaredConstructor().newInstance();
                if (!(Boolean) reference.getClass().getMethod("isPresent").invoke(reference)) {
                    System.out.println("static service loaders: the bean class of " + implementation + " is missing, left out");
                    continue;
                }
                beanNames.add((String) reference.getClass().getMethod("getName").invoke(reference));
            }
            if (access == Access.REFLECTIVE) {
                reflective.add(names.size());
            }
            names.add(implementation);
        }
        String service = factory.serviceType();
        StringBuilder java = new StringBuilder();
        java.append("package ").append(factory.packageName()).append(";\n\n")
            .append("import io.micronaut.core.io.service.SoftServiceLoader;\n")
            .append("import java.util.ArrayList;\n")
            .append("import java.util.List;\n")
            .append("import java.util.function.Predicate;\n")
            .append("import java.util.function.Supplier;\n")
            .append("import java.util.stream.Stream;\n\n")
            .append("/** Generated by functions/aot/StaticServiceLoaders.java from Micronaut AOT's factory of the same name. */\n")
            .append("@io.micronaut.core.annotation.Generated\n")
            .append("@SuppressWarnings({\"rawtypes\", \"unchecked\"})\n")
            .append("public final class ").append(factory.simpleName())
            .append(" implements SoftServiceLoader.StaticServiceLoader<").append(service).append("> {\n");
        stringArray(java, "SERVICE_TYPES", names);
        if (introspections) {
            stringArray(java, "BEAN_TYPES", beanNames);
        }
        java.append("  @Override\n")
            .append("  public Stream<SoftServiceLoader.StaticDefinition<").append(service).append(">> findAll(Predicate<String> predicate) {\n")
            .append("    List<SoftServiceLoader.StaticDefinition<").append(service).append(">> found = new ArrayList<>(SERVICE_TYPES.length);\n")
            .append("    for (int i = 0; i < SERVICE_TYPES.length; i++) {\n")
            .append("      String name = SERVICE_TYPES[i];\n")
            .append("      if (!predicate.test(name)) {\n")
            .append("        continue;\n")
            .append("      }\n")
            .append("      if (!reflective(i)) {\n")
            .append("        found.add(SoftServiceLoader.StaticDefinition.of(name, new Instance(i)));\n")
            .append("        continue;\n")
            .append("      }\n")
            .append("      try {\n")
            .append("        found.add(SoftServiceLoader.StaticDefinition.of(name, (Class<").append(service)
            .append(">) Class.forName(name, false, ").append(service).append(".class.getClassLoader())));\n")
            .append("      } catch (ClassNotFoundException | LinkageError e) {\n")
            .append("        // Left out, as AOT's own factory leaves out what it cannot load.\n")
            .append("      }\n")
            .append("    }\n")
            .append("    return found.stream();\n")
            .append("  }\n\n")
            .append("  /** Whether the i-th implementation is not public or has no public no-argument constructor. */\n")
            .append("  private static boolean reflective(int index) {\n")
            .append("    switch (index) {\n");
        for (int index : reflective) {
            java.append("      case ").append(index).append(":\n");
        }
        if (!reflective.isEmpty()) {
            java.append("        return true;\n");
        }
        java.append("      default:\n")
            .append("        return false;\n")
            .append("    }\n")
            .append("  }\n\n")
            .append("  /** Creates the i-th implementation: one switch for all, no lambda, no reflection. */\n")
            .append("  static ").append(service).append(" create(int index) {\n")
            .append("    switch (index) {\n");
        for (int i = 0; i < names.size(); i++) {
            if (!reflective.contains(i)) {
                java.append("      case ").append(i).append(": return new ").append(names.get(i)).append("();\n");
            }
        }
        java.append("      default: throw new IllegalStateException(\"no implementation \" + index);\n")
            .append("    }\n")
            .append("  }\n\n")
            .append("  private static final class Instance implements Supplier<").append(service).append("> {\n")
            .append("    private final int index;\n\n")
            .append("    Instance(int index) {\n")
            .append("      this.index = index;\n")
            .append("    }\n\n")
            .append("    @Override\n")
            .append("    public ").append(service).append(" get() {\n")
            .append(introspections ? "      return new LazyReference(index);\n" : "      return create(index);\n")
            .append("    }\n")
            .append("  }\n");
        if (introspections) {
            java.append("""

                  /** An introspection reference that creates the real one when more than its name is needed. */
                  static final class LazyReference implements io.micronaut.core.beans.BeanIntrospectionReference<Object> {
                    private final int index;
                    private volatile io.micronaut.core.beans.BeanIntrospectionReference<Object> reference;
                    private volatile Class<Object> beanType;

                    LazyReference(int index) {
                      this.index = index;
                    }

                    private io.micronaut.core.beans.BeanIntrospectionReference<Object> reference() {
                      io.micronaut.core.beans.BeanIntrospectionReference<Object> created = reference;
                      if (created == null) {
                        created = create(index);
                        reference = created;
                      }
                      return created;
                    }

                    @Override
                    public String getName() {
                      return BEAN_TYPES[index];
                    }

                    @Override
                    public boolean isPresent() {
                      return true;
                    }

                    /**
                     * The bean class alone, not its introspection: micronaut-data picks its query
                     * interceptors by testing every introspected type against the one it needs.
                     */
                    @Override
                    @SuppressWarnings("unchecked")
                    public Class<Object> getBeanType() {
                      Class<Object> type = beanType;
                      if (type == null) {
                        try {
                          type = (Class<Object>) Class.forName(BEAN_TYPES[index], false, LazyReference.class.getClassLoader());
                        } catch (ClassNotFoundException e) {
                          throw new NoClassDefFoundError(BEAN_TYPES[index]);
                        }
                        beanType = type;
                      }
                      return type;
                    }

                    @Override
                    public io.micronaut.core.beans.BeanIntrospection<Object> load() {
                      return reference().load();
                    }

                    @Override
                    public io.micronaut.core.annotation.AnnotationMetadata getAnnotationMetadata() {
                      return reference().getAnnotationMetadata();
                    }

                    @Override
                    public String toString() {
                      return "BeanIntrospectionReference(" + BEAN_TYPES[index] + ")";
                    }
                  }
                """.indent(0).replaceAll("(?m)^  ", "  "));
        }
        java.append("}\n");
        return new Rewrite(factory, names, java.toString());
    }

    private static void stringArray(StringBuilder java, String name, List<String> values) {
        java.append("  private static final String[] ").append(name).append(" = {\n");
        for (String value : values) {
            java.append("    \"").append(value).append("\",\n");
        }
        java.append("  };\n\n");
    }

    enum Access { DIRECT, REFLECTIVE, MISSING }

    static Access access(String name, ClassLoader application) {
        try {
            Class<?> type = Class.forName(name, false, application);
            boolean topLevelOrStatic = type.getEnclosingClass() == null || Modifier.isStatic(type.getModifiers());
            if (Modifier.isPublic(type.getModifiers()) && topLevelOrStatic && !Modifier.isAbstract(type.getModifiers())
                    && Modifier.isPublic(type.getDeclaredConstructor().getModifiers())) {
                return Access.DIRECT;
            }
            return Access.REFLECTIVE;
        } catch (ClassNotFoundException | LinkageError e) {
            return Access.MISSING;
        } catch (NoSuchMethodException e) {
            return Access.REFLECTIVE;
        }
    }

    static void compile(List<Path> sources, String classpath, Path classes) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler: run this with a JDK");
        }
        List<String> arguments = new ArrayList<>(List.of("--release", "17", "-proc:none", "-nowarn", "-Xlint:-removal,-deprecation", "-XDsuppressNotes",
                "-classpath", classpath, "-d", classes.toString()));
        sources.forEach(source -> arguments.add(source.toString()));
        int status = javac.run(null, null, null, arguments.toArray(String[]::new));
        if (status != 0) {
            throw new IllegalStateException("javac failed (" + status + ") on the rewritten static service loaders");
        }
    }

    /**
     * Loads every rewritten factory from the compiled classes and checks that it finds the
     * implementations it keeps in AOT's order, that each definition creates an instance of the very
     * class it names (an introspection reference: one with the real reference's name, whose
     * introspection is of that bean type), and that a predicate filters them. Returns how many
     * implementations were checked.
     */
    @SuppressWarnings("unchecked")
    static int check(List<Rewrite> rewrites, Path classes, String classpath) throws Exception {
        int checked = 0;
        try (URLClassLoader rewritten = loader(classpath, classes)) {
            Class<?> definitionType = Class.forName("io.micronaut.core.io.service.ServiceDefinition", false, rewritten);
            for (Rewrite rewrite : rewrites) {
                Factory factory = rewrite.factory();
                boolean introspections = factory.serviceType().equals(INTROSPECTION_REFERENCE);
                Object instance = Class.forName(factory.className(), true, rewritten).getDeclaredConstructor().newInstance();
                Predicate<String> all = name -> true;
                Stream<Object> found = (Stream<Object>) instance.getClass().getMethod("findAll", Predicate.class)
                        .invoke(instance, all);
                List<String> names = new ArrayList<>();
                for (Object definition : found.toList()) {
                    String name = (String) definitionType.getMethod("getName").invoke(definition);
                    Object created = definitionType.getMethod("load").invoke(definition);
                    if (introspections) {
                        checkReference(name, created, rewritten);
                    } else if (created == null || !created.getClass().getName().equals(name)) {
                        throw new IllegalStateException(factory.className() + ": the definition of " + name
                                + " created " + (created == null ? "null" : created.getClass().getName()));
                    }
                    names.add(name);
                    checked++;
                }
                if (!names.equals(rewrite.implementations())) {
                    throw new IllegalStateException(factory.className() + " finds " + names + " instead of "
                            + rewrite.implementations());
                }
                if (!names.isEmpty()) {
                    String first = names.get(0);
                    Predicate<String> one = first::equals;
                    List<?> filtered = ((Stream<Object>) instance.getClass().getMethod("findAll", Predicate.class)
                            .invoke(instance, one)).toList();
                    if (filtered.size() != 1) {
                        throw new IllegalStateException(factory.className() + " ignores the predicate of findAll");
                    }
                }
            }
        }
        return checked;
    }

    private static void checkReference(String implementation, Object lazy, ClassLoader loader) throws Exception {
        // Called through the interfaces: the lazy reference's own class is not public.
        Class<?> referenceType = Class.forName(INTROSPECTION_REFERENCE, false, loader);
        Class<?> introspectionType = Class.forName("io.micronaut.core.beans.BeanIntrospection", false, loader);
        Object real = Class.forName(implementation, true, loader).getDeclaredConstructor().newInstance();
        String beanType = (String) referenceType.getMethod("getName").invoke(real);
        String lazyName = (String) referenceType.getMethod("getName").invoke(lazy);
        Object introspection = referenceType.getMethod("load").invoke(lazy);
        Class<?> introspected = (Class<?>) introspectionType.getMethod("getBeanType").invoke(introspection);
        Object metadata = referenceType.getMethod("getAnnotationMetadata").invoke(lazy);
        Object lazyType = referenceType.getMethod("getBeanType").invoke(lazy);
        if (!beanType.equals(lazyName) || !beanType.equals(introspected.getName()) || metadata == null
                || lazyType != referenceType.getMethod("getBeanType").invoke(real)) {
            throw new IllegalStateException("the lazy reference for " + implementation + " answers " + lazyName
                    + " and introspects " + introspected.getName() + " instead of " + beanType);
        }
    }

    private static URLClassLoader loader(String classpath, Path first) {
        List<URL> urls = new ArrayList<>();
        try {
            if (first != null) {
                urls.add(first.toUri().toURL());
            }
            for (String entry : classpath.split(java.io.File.pathSeparator)) {
                if (!entry.isBlank()) {
                    urls.add(Path.of(entry).toUri().toURL());
                }
            }
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }
}
