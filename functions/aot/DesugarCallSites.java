import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Objects;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Writes the {@code invokedynamic} call sites of a Lambda jar's lambdas, method references and string
 * concatenations at build time (root pom, execution "desugar-call-sites", after the jar is shaded and updated
 * with AOT's classes), instead of leaving the JVM to link them on the main thread at a cold start.
 *
 * <p>Why: the JVM links a {@code LambdaMetafactory} call site by generating a class on the calling thread (JDK 25
 * writes it with its ClassFile API, which runs interpreted that early), and a {@code StringConcatFactory} one by
 * assembling method handles. The operator function linked 778 call sites before its first answer, most of them
 * lambdas inside the given libraries' eager registrations (converters, constraint validators); HotSpot's counters
 * put 356 to 481 ms of its start in resolving them. A lambda class generated here is the one the JVM would have
 * spun, written once: the function's {@code ClassPreloader} loads it on its second thread like any other class of
 * the jar. A concatenation becomes a private static method of its class. docs/performance.md has the figures.
 *
 * <p>Lambdas: a rewritten site does what {@code LambdaMetafactory.metafactory} specifies. It becomes an
 * {@code invokestatic} of the generated class's {@code create} with the same arguments (the captured values) and
 * the same result; a site that captures nothing answers one instance, as the metafactory's constant call site
 * does, and each site has a class of its own; the single method forwards to the implementation with the
 * metafactory's conversions (casts, boxing, unboxing, widening: the JDK's {@code TypeConvertingMethodAdapter}
 * rules). The generated class joins the host's nest, as the JDK's hidden lambda classes do, so that it may call the
 * host's private {@code lambda$} methods (a host compiled for Java 8 to 10 knows no nests: it becomes the nest's
 * host, its class-file version raised to 11). It is final and synthetic and has no generic signature, as a lambda
 * class has none. A site is left to the metafactory whenever any of this cannot be proved from the class files:
 * {@code altMetafactory} (serializable lambdas, marker interfaces, bridges), and any type or method the generated
 * class could not access from the host's package or that is not on the classpath.
 *
 * <p>Concatenations: the method appends the recipe's literal pieces and each argument to a StringBuilder with the
 * overload of the argument's type (objects, arrays included, through {@code String.valueOf(Object)}, once each and
 * in order, as {@code StringConcatFactory} does; byte and short as numbers), so the string is the same. Recipes
 * with constants other than strings are left to the factory.
 *
 * <p>Which lambda sites: with {@code --cold-start-list <file>} (the root pom passes the function's preload list,
 * src/main/resources/META-INF/contentplane/preload-classes.txt) only those of the classes a cold start loads, so
 * that the jar grows by two to six thousand classes rather than by up to sixteen thousand (every generated class
 * costs a bigger jar to read and, under {@code sam local}, to unzip at every invocation); a missing list means
 * none. Without the option, every site. Concatenations add no class and are rewritten everywhere.
 *
 * <p>Usage: {@code java -cp asm.jar DesugarCallSites.java <jar> [--cold-start-list <file>] [--report]}: rewrites
 * the jar in place and prints how many sites it rewrote and left ({@code --report}: and each lambda site it left).
 */
public final class DesugarCallSites {

    static final String METAFACTORY_OWNER = "java/lang/invoke/LambdaMetafactory";
    static final String SUFFIX = "$$Lambda$";
    static final String CONCAT_OWNER = "java/lang/invoke/StringConcatFactory";
    static final String CONCAT_METHOD = "concat$desugared$";

    private DesugarCallSites() {
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(args));
        boolean report = arguments.remove("--report");
        Set<String> lambdaHosts = null;
        int listOption = arguments.indexOf("--cold-start-list");
        if (listOption >= 0 && listOption + 1 < arguments.size()) {
            Path list = Path.of(arguments.remove(listOption + 1));
            arguments.remove(listOption);
            // The classes the function's cold start loads (its ClassPreloader list, written by run.sh): lambda
            // classes are written for these hosts only, so that the jar grows by what a cold start uses; a
            // function without a list (the dispatcher's) keeps its lambdas to the metafactory.
            lambdaHosts = new HashSet<>();
            if (Files.isRegularFile(list)) {
                for (String line : Files.readAllLines(list)) {
                    if (!line.isBlank()) {
                        lambdaHosts.add(line.strip().replace('.', '/'));
                    }
                }
            }
        }
        if (arguments.size() != 1) {
            System.err.println("usage: java -cp asm.jar DesugarCallSites.java <jar> [--cold-start-list <file>] [--report]");
            System.exit(2);
        }
        Path jar = Path.of(arguments.get(0));
        Map<String, byte[]> entries = read(jar);
        byte[] manifest = entries.get("META-INF/MANIFEST.MF");
        if (manifest != null && new String(manifest, StandardCharsets.UTF_8).contains("Multi-Release: true")) {
            // The JVM would then load some classes from META-INF/versions, which this tool does not rewrite.
            throw new IllegalStateException(jar + " is a multi-release jar; DesugarCallSites rewrites only its base classes");
        }
        Result result = desugar(entries, lambdaHosts, report);
        Path tmp = jar.resolveSibling(jar.getFileName() + ".desugared");
        write(result.entries(), tmp);
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.printf("DesugarCallSites %s: %d call sites rewritten into classes, %d left to the metafactory; "
                        + "%d string concatenations rewritten into methods%n",
                jar.getFileName(), result.rewritten(), result.left(), result.concatenations());
    }

    record Result(Map<String, byte[]> entries, int rewritten, int left, int concatenations) {
    }

    static Map<String, byte[]> read(Path jar) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            for (JarEntry entry : Collections.list(file.entries())) {
                if (entry.isDirectory()) {
                    entries.put(entry.getName(), null);
                    continue;
                }
                try (InputStream in = file.getInputStream(entry)) {
                    entries.put(entry.getName(), in.readAllBytes());
                }
            }
        }
        return entries;
    }

    static void write(Map<String, byte[]> entries, Path target) throws IOException {
        try (OutputStream out = Files.newOutputStream(target); JarOutputStream jar = new JarOutputStream(out)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                JarEntry jarEntry = new JarEntry(entry.getKey());
                jarEntry.setTime(0L);
                jar.putNextEntry(jarEntry);
                if (entry.getValue() != null) {
                    jar.write(entry.getValue());
                }
                jar.closeEntry();
            }
        }
    }

    /** Rewrites every provable site of the classes among {@code entries}; other entries are kept as they are. */
    static Result desugar(Map<String, byte[]> entries, Set<String> lambdaHosts, boolean report) {
        Classes classes = new Classes(entries);
        int left = 0;
        // Per host, its metafactory call sites in the order ClassReader visits them (the rewrite visits them
        // in the same order): the site, or null for a site left to the metafactory.
        Map<String, List<Site>> sitesByHost = new LinkedHashMap<>();
        // Likewise its string concatenations: the recipe, or null for one left to StringConcatFactory.
        Map<String, List<Concat>> concatsByHost = new LinkedHashMap<>();
        int concatenations = 0;
        for (String entry : entries.keySet()) {
            if (!entry.endsWith(".class") || entry.startsWith("META-INF/")) {
                continue;
            }
            String host = entry.substring(0, entry.length() - ".class".length());
            ClassInfo info = classes.find(host);
            List<Concat> concats = new ArrayList<>();
            List<Site> sites = new ArrayList<>();
            forEachCallSite(entries.get(entry), (name, descriptor, bootstrap, arguments) -> {
                if (bootstrap.getOwner().equals(CONCAT_OWNER)) {
                    concats.add(Concat.of(descriptor, bootstrap, arguments));
                } else if (bootstrap.getOwner().equals(METAFACTORY_OWNER)) {
                    Site site = Site.of(host, name, descriptor, bootstrap, arguments);
                    boolean listed = lambdaHosts == null || lambdaHosts.contains(host);
                    boolean desugar = site != null && listed && classes.canDesugar(info, site);
                    sites.add(desugar ? site : null);
                    if (!desugar && report && listed) {
                        System.out.println("left to the metafactory: " + host + " "
                                + (site == null ? "(altMetafactory)" : site.implementation()));
                    }
                }
            });
            if (concats.stream().anyMatch(Objects::nonNull)) {
                concatsByHost.put(host, concats);
                concatenations += (int) concats.stream().filter(Objects::nonNull).count();
            }
            long desugared = sites.stream().filter(Objects::nonNull).count();
            left += sites.size() - (int) desugared;
            if (desugared > 0) {
                sitesByHost.put(host, sites);
            }
        }

        Map<String, byte[]> out = new LinkedHashMap<>(entries);
        Map<String, Set<String>> newNestMembers = new HashMap<>();
        Map<String, List<String>> classesByHost = new HashMap<>();
        int rewritten = 0;
        for (Map.Entry<String, List<Site>> hostSites : sitesByHost.entrySet()) {
            String host = hostSites.getKey();
            ClassInfo info = classes.find(host);
            String nestHost = info.nestHost();
            // One class per call site, as the metafactory spins one per site: two sites of the same method
            // reference that capture nothing still answer two distinct instances.
            List<String> names = new ArrayList<>();
            int counter = 0;
            for (Site site : hostSites.getValue()) {
                if (site == null) {
                    names.add(null);
                    continue;
                }
                String name;
                do {
                    name = host + SUFFIX + counter++;
                } while (entries.containsKey(name + ".class"));
                names.add(name);
                out.put(name + ".class", LambdaClass.generate(name, nestHost, Math.max(info.version(), Opcodes.V11),
                        site));
                newNestMembers.computeIfAbsent(nestHost, k -> new TreeSet<>()).add(name);
                rewritten++;
            }
            classesByHost.put(host, names);
        }
        // One pass over each class that hosts sites, is a nest host gaining members, or both.
        Set<String> touched = new TreeSet<>(classesByHost.keySet());
        touched.addAll(newNestMembers.keySet());
        touched.addAll(concatsByHost.keySet());
        for (String name : touched) {
            ClassReader reader = new ClassReader(entries.get(name + ".class"));
            ClassWriter writer = new ClassWriter(reader, 0);
            reader.accept(new HostRewriter(writer, classes.find(name), classesByHost.getOrDefault(name, List.of()),
                    newNestMembers.getOrDefault(name, Set.of()), concatsByHost.getOrDefault(name, List.of())), 0);
            out.put(name + ".class", writer.toByteArray());
        }
        return new Result(out, rewritten, left, concatenations);
    }

    /** What {@link #forEachCallSite} calls for each {@code invokedynamic}. */
    interface CallSiteAction {
        void accept(String name, String descriptor, Handle bootstrap, Object[] arguments);
    }

    /** Calls {@code action} for each {@code invokedynamic} of the class, in the order ClassReader visits them. */
    static void forEachCallSite(byte[] classFile, CallSiteAction action) {
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitInvokeDynamicInsn(String siteName, String siteDescriptor, Handle bootstrap,
                                                       Object... bootstrapArguments) {
                        action.accept(siteName, siteDescriptor, bootstrap, bootstrapArguments);
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    }

    /**
     * One string concatenation javac compiled to {@code StringConcatFactory}: its arguments' types and the
     * recipe, as literal pieces (String) and argument indexes (Integer) in order.
     */
    record Concat(String descriptor, List<Object> pieces) {
        private static final char ARGUMENT = '\u0001';
        private static final char CONSTANT = '\u0002';

        static Concat of(String descriptor, Handle bootstrap, Object[] arguments) {
            int count = Type.getArgumentTypes(descriptor).length;
            if (!Type.getReturnType(descriptor).getDescriptor().equals("Ljava/lang/String;")) {
                return null;
            }
            String recipe;
            int constant = 1;
            if (bootstrap.getName().equals("makeConcat") && arguments.length == 0) {
                recipe = String.valueOf(ARGUMENT).repeat(count);
            } else if (bootstrap.getName().equals("makeConcatWithConstants") && arguments.length >= 1
                    && arguments[0] instanceof String withConstants) {
                recipe = withConstants;
            } else {
                return null;
            }
            List<Object> pieces = new ArrayList<>();
            StringBuilder literal = new StringBuilder();
            int argument = 0;
            for (char c : recipe.toCharArray()) {
                if (c == ARGUMENT || c == CONSTANT) {
                    if (c == CONSTANT && !(constant < arguments.length && arguments[constant] instanceof String)) {
                        return null; // only string constants are appended as they are
                    }
                    if (c == CONSTANT) {
                        literal.append((String) arguments[constant++]);
                        continue;
                    }
                    if (!literal.isEmpty()) {
                        pieces.add(literal.toString());
                        literal.setLength(0);
                    }
                    pieces.add(argument++);
                } else {
                    literal.append(c);
                }
            }
            if (!literal.isEmpty()) {
                pieces.add(literal.toString());
            }
            return argument == count && constant == arguments.length ? new Concat(descriptor, pieces) : null;
        }

        /**
         * The concatenation as a private static method of its host: a StringBuilder appending each piece, each
         * argument by the overload of its type (objects, arrays included, through String.valueOf(Object), once,
         * in order, as StringConcatFactory does; byte and short as numbers).
         */
        void write(ClassVisitor host, String name) {
            MethodVisitor method = host.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
                    name, descriptor, null, null);
            method.visitCode();
            method.visitTypeInsn(Opcodes.NEW, "java/lang/StringBuilder");
            method.visitInsn(Opcodes.DUP);
            method.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/StringBuilder", "<init>", "()V", false);
            Type[] types = Type.getArgumentTypes(descriptor);
            int[] slots = new int[types.length];
            int locals = 0;
            for (int i = 0; i < types.length; i++) {
                slots[i] = locals;
                locals += types[i].getSize();
            }
            for (Object piece : pieces) {
                String appended;
                if (piece instanceof String literal) {
                    method.visitLdcInsn(literal);
                    appended = "Ljava/lang/String;";
                } else {
                    Type type = types[(Integer) piece];
                    method.visitVarInsn(type.getOpcode(Opcodes.ILOAD), slots[(Integer) piece]);
                    appended = switch (type.getSort()) {
                        case Type.BOOLEAN -> "Z";
                        case Type.CHAR -> "C";
                        case Type.BYTE, Type.SHORT, Type.INT -> "I";
                        case Type.LONG -> "J";
                        case Type.FLOAT -> "F";
                        case Type.DOUBLE -> "D";
                        default -> type.getDescriptor().equals("Ljava/lang/String;") ? "Ljava/lang/String;"
                                : "Ljava/lang/Object;";
                    };
                }
                method.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/StringBuilder", "append",
                        "(" + appended + ")Ljava/lang/StringBuilder;", false);
            }
            method.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/StringBuilder", "toString",
                    "()Ljava/lang/String;", false);
            method.visitInsn(Opcodes.ARETURN);
            // The builder, its copy or the builder and a value of at most two slots.
            method.visitMaxs(3, locals);
            method.visitEnd();
        }
    }

    /**
     * One {@code LambdaMetafactory.metafactory} call site: the method the lambda implements, the
     * implementation, and the types the metafactory is given.
     */
    record Site(String host, String methodName, String factoryDescriptor, Type samType, Handle implementation,
                Type instantiatedType) {

        static Site of(String host, String name, String descriptor, Handle bootstrap, Object[] arguments) {
            if (!bootstrap.getName().equals("metafactory") || arguments.length != 3
                    || !(arguments[0] instanceof Type sam) || !(arguments[1] instanceof Handle implementation)
                    || !(arguments[2] instanceof Type instantiated)) {
                return null;
            }
            return new Site(host, name, descriptor, sam, implementation, instantiated);
        }

        Type[] captured() {
            return Type.getArgumentTypes(factoryDescriptor);
        }

        Type functionalInterface() {
            return Type.getReturnType(factoryDescriptor);
        }

        boolean hasReceiver() {
            int tag = implementation.getTag();
            return tag == Opcodes.H_INVOKEVIRTUAL || tag == Opcodes.H_INVOKEINTERFACE
                    || tag == Opcodes.H_INVOKESPECIAL;
        }

        /** The implementation's parameters as the metafactory sees them: the receiver first, if any. */
        List<Type> implementationParameters() {
            List<Type> parameters = new ArrayList<>();
            if (hasReceiver()) {
                parameters.add(Type.getObjectType(implementation.getOwner()));
            }
            Collections.addAll(parameters, Type.getArgumentTypes(implementation.getDesc()));
            return parameters;
        }

        Type implementationReturn() {
            return implementation.getTag() == Opcodes.H_NEWINVOKESPECIAL
                    ? Type.getObjectType(implementation.getOwner())
                    : Type.getReturnType(implementation.getDesc());
        }
    }

    /**
     * What the tool knows of a class: from the jar, or from the JDK it runs on (the Lambda runtime's version;
     * a JDK class of a package its module does not export is not found).
     */
    record ClassInfo(String name, int access, int version, String superName, String[] interfaces, String nestHost,
                     Map<String, Integer> methods) {

        String packageName() {
            return packageOf(name);
        }
    }

    static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : internalName.substring(0, slash);
    }

    /** Class lookup over the jar's entries and the JDK's modules, with the access checks a site needs. */
    static final class Classes {
        private final Map<String, byte[]> entries;
        private final Map<String, ClassInfo> cache = new HashMap<>();

        Classes(Map<String, byte[]> entries) {
            this.entries = entries;
        }

        ClassInfo find(String name) {
            if (cache.containsKey(name)) {
                return cache.get(name);
            }
            byte[] bytes = entries.get(name + ".class");
            if (bytes == null) {
                bytes = jdkClass(name);
            }
            ClassInfo info = bytes == null ? null : parse(bytes);
            cache.put(name, info);
            return info;
        }

        private static byte[] jdkClass(String name) {
            try {
                Class<?> type = Class.forName(name.replace('/', '.'), false, ClassLoader.getPlatformClassLoader());
                if (!type.getModule().isExported(type.getPackageName())) {
                    return null;
                }
                try (InputStream in = ClassLoader.getPlatformClassLoader().getResourceAsStream(name + ".class")) {
                    return in == null ? null : in.readAllBytes();
                }
            } catch (ClassNotFoundException | LinkageError e) {
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static ClassInfo parse(byte[] bytes) {
            ClassReader reader = new ClassReader(bytes);
            String[] nestHost = {null};
            Map<String, Integer> methods = new HashMap<>();
            int[] header = new int[2];
            reader.accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public void visit(int version, int access, String name, String signature, String superName,
                                  String[] interfaces) {
                    header[0] = version & 0xFFFF;
                    header[1] = access;
                }

                @Override
                public void visitNestHost(String host) {
                    nestHost[0] = host;
                }

                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                 String[] exceptions) {
                    methods.put(name + descriptor, access);
                    return null;
                }
            }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            String name = reader.getClassName();
            return new ClassInfo(name, header[1], header[0], reader.getSuperName(), reader.getInterfaces(),
                    nestHost[0] == null ? name : nestHost[0], methods);
        }

        boolean canDesugar(ClassInfo host, Site site) {
            // A class file older than Java 11 knows no nests: it becomes the nest host of its lambda classes,
            // its version raised to 11 (class files 52 to 54 mean nothing else that 55 does not).
            ClassInfo nestHost = find(host.nestHost());
            if (host.version() < Opcodes.V1_8 || nestHost == null || !isInJar(nestHost)
                    || nestHost.version() < Opcodes.V11 && !nestHost.name().equals(host.name())) {
                return false;
            }
            Handle implementation = site.implementation();
            int tag = implementation.getTag();
            if (tag != Opcodes.H_INVOKESTATIC && tag != Opcodes.H_INVOKEVIRTUAL && tag != Opcodes.H_INVOKEINTERFACE
                    && tag != Opcodes.H_INVOKESPECIAL && tag != Opcodes.H_NEWINVOKESPECIAL) {
                return false;
            }
            if (!accessible(host, site.functionalInterface()) || !isInterface(site.functionalInterface())) {
                return false;
            }
            for (Type captured : site.captured()) {
                if (!accessible(host, captured)) {
                    return false;
                }
            }
            Type[] samParameters = site.samType().getArgumentTypes();
            Type[] instantiated = site.instantiatedType().getArgumentTypes();
            List<Type> implParameters = site.implementationParameters();
            int capturedCount = site.captured().length;
            if (samParameters.length != instantiated.length
                    || capturedCount + samParameters.length != implParameters.size()) {
                return false;
            }
            // Captured values are passed on as they are: a primitive one must already have the parameter's type.
            for (int i = 0; i < capturedCount; i++) {
                Type captured = site.captured()[i];
                Type parameter = implParameters.get(i);
                boolean reference = captured.getSort() >= Type.ARRAY && parameter.getSort() >= Type.ARRAY;
                if (!reference && !captured.equals(parameter)) {
                    return false;
                }
            }
            // Every type the forwarding method names (casts, the call itself) must be accessible from the host's package.
            for (Type type : implParameters) {
                if (!accessible(host, type)) {
                    return false;
                }
            }
            for (Type type : instantiated) {
                if (!accessible(host, type)) {
                    return false;
                }
            }
            if (!accessible(host, site.implementationReturn()) || !accessible(host, site.samType().getReturnType())) {
                return false;
            }
            if (site.implementationReturn().getSort() == Type.VOID && site.samType().getReturnType().getSort() != Type.VOID) {
                return false;
            }
            return methodAccessible(host, implementation);
        }

        private boolean isInterface(Type type) {
            ClassInfo info = type.getSort() == Type.OBJECT ? find(type.getInternalName()) : null;
            return info != null && (info.access() & Opcodes.ACC_INTERFACE) != 0;
        }

        /** A type the generated class, in the host's package and nest, may name in a cast or a call. */
        boolean accessible(ClassInfo host, Type type) {
            if (type.getSort() == Type.ARRAY) {
                return accessible(host, type.getElementType());
            }
            if (type.getSort() != Type.OBJECT) {
                return true;
            }
            ClassInfo info = find(type.getInternalName());
            if (info == null) {
                return false;
            }
            return (info.access() & Opcodes.ACC_PUBLIC) != 0
                    || info.packageName().equals(host.packageName()) && isInJar(info);
        }

        private boolean isInJar(ClassInfo info) {
            return entries.containsKey(info.name() + ".class");
        }

        /** The implementation method, as resolved from its owner, may be called from the generated class. */
        private boolean methodAccessible(ClassInfo host, Handle implementation) {
            ClassInfo owner = find(implementation.getOwner());
            if (owner == null || !accessible(host, Type.getObjectType(owner.name()))) {
                return false;
            }
            boolean sameNest = isInJar(owner) && owner.nestHost().equals(host.nestHost());
            String key = implementation.getName() + implementation.getDesc();
            if (implementation.getTag() == Opcodes.H_NEWINVOKESPECIAL) {
                Integer access = owner.methods().get(key);
                return access != null && (owner.access() & Opcodes.ACC_ABSTRACT) == 0
                        && memberAccessible(host, owner, access, sameNest);
            }
            if (implementation.getTag() == Opcodes.H_INVOKESPECIAL) {
                Integer access = owner.methods().get(key);
                return sameNest && access != null && (access & Opcodes.ACC_PRIVATE) != 0;
            }
            // Resolve as the JVM does: the owner, its superclasses, then its superinterfaces.
            ClassInfo declaring = resolve(owner, key, new TreeSet<>());
            if (declaring == null) {
                return false;
            }
            int access = declaring.methods().get(key);
            boolean declaringSameNest = isInJar(declaring) && declaring.nestHost().equals(host.nestHost());
            if ((access & Opcodes.ACC_STATIC) != (implementation.getTag() == Opcodes.H_INVOKESTATIC
                    ? Opcodes.ACC_STATIC : 0)) {
                return false;
            }
            return memberAccessible(host, declaring, access, declaringSameNest);
        }

        private ClassInfo resolve(ClassInfo type, String key, Set<String> seen) {
            if (type == null || !seen.add(type.name())) {
                return null;
            }
            if (type.methods().containsKey(key)) {
                return type;
            }
            if (type.superName() != null) {
                ClassInfo found = resolve(find(type.superName()), key, seen);
                if (found != null) {
                    return found;
                }
            }
            for (String itf : type.interfaces()) {
                ClassInfo found = resolve(find(itf), key, seen);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }

        private boolean memberAccessible(ClassInfo host, ClassInfo declaring, int access, boolean sameNest) {
            if ((access & Opcodes.ACC_PRIVATE) != 0) {
                return sameNest;
            }
            if ((access & Opcodes.ACC_PUBLIC) != 0) {
                return (declaring.access() & Opcodes.ACC_PUBLIC) != 0
                        || declaring.packageName().equals(host.packageName()) && isInJar(declaring);
            }
            // Package-private or protected: only from the same runtime package (protected access from a
            // subclass elsewhere is the host's privilege, not the generated class's).
            return declaring.packageName().equals(host.packageName()) && isInJar(declaring);
        }
    }

    /** Replaces each desugared site by the generated class's {@code create}, and adds new nest members. */
    static final class HostRewriter extends ClassVisitor {
        private final ClassInfo host;
        private final List<String> classes;
        private final Set<String> newMembers;
        private final List<Concat> concats;
        private int ordinal;
        private int concatOrdinal;

        /**
         * {@code classes}: per metafactory site, in visiting order, its generated class or null to keep it;
         * {@code concats}: likewise per string concatenation, its recipe or null.
         */
        HostRewriter(ClassVisitor next, ClassInfo host, List<String> classes, Set<String> newMembers,
                     List<Concat> concats) {
            super(Opcodes.ASM9, next);
            this.host = host;
            this.classes = classes;
            this.newMembers = newMembers;
            this.concats = concats;
        }

        private String concatMethod(int index) {
            String name = CONCAT_METHOD + index;
            for (String method : host.methods().keySet()) {
                if (method.startsWith(name + "(")) {
                    throw new IllegalStateException(host.name() + " already has a method " + name);
                }
            }
            return name;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                          String[] interfaces) {
            int major = version & 0xFFFF;
            super.visit(newMembers.isEmpty() || major >= Opcodes.V11 ? version : Opcodes.V11, access, name, signature,
                    superName, interfaces);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
            if (classes.isEmpty() && concats.isEmpty()) {
                return next;
            }
            return new MethodVisitor(Opcodes.ASM9, next) {
                @Override
                public void visitInvokeDynamicInsn(String siteName, String siteDescriptor, Handle bootstrap,
                                                   Object... bootstrapArguments) {
                    if (bootstrap.getOwner().equals(CONCAT_OWNER) && !concats.isEmpty()) {
                        int index = concatOrdinal++;
                        if (concats.get(index) != null) {
                            // Same arguments on the stack, the same string out.
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, host.name(), concatMethod(index),
                                    siteDescriptor, (host.access() & Opcodes.ACC_INTERFACE) != 0);
                            return;
                        }
                    }
                    String lambdaClass = bootstrap.getOwner().equals(METAFACTORY_OWNER) && !classes.isEmpty()
                            ? classes.get(ordinal++) : null;
                    if (lambdaClass == null) {
                        super.visitInvokeDynamicInsn(siteName, siteDescriptor, bootstrap, bootstrapArguments);
                    } else {
                        // Same operands on the stack, same result: the captured values in, the instance out.
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, lambdaClass, "create", siteDescriptor, false);
                    }
                }
            };
        }

        @Override
        public void visitEnd() {
            if (ordinal != classes.size() || concatOrdinal != concats.size()) {
                throw new IllegalStateException(host.name() + ": visited " + ordinal + " metafactory sites and "
                        + concatOrdinal + " concatenations, expected " + classes.size() + " and " + concats.size());
            }
            for (int i = 0; i < concats.size(); i++) {
                if (concats.get(i) != null) {
                    concats.get(i).write(this, concatMethod(i));
                }
            }
            for (String member : newMembers) {
                super.visitNestMember(member);
            }
            super.visitEnd();
        }
    }

    /** Writes the class the metafactory would have spun for one site. */
    static final class LambdaClass {
        private LambdaClass() {
        }

        static byte[] generate(String name, String nestHost, int version, Site site) {
            ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
            writer.visit(version, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC, name, null,
                    "java/lang/Object", new String[] {site.functionalInterface().getInternalName()});
            writer.visitNestHost(nestHost);
            Type[] captured = site.captured();
            for (int i = 0; i < captured.length; i++) {
                writer.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, "arg$" + (i + 1),
                        captured[i].getDescriptor(), null, null).visitEnd();
            }
            String constructorDescriptor = Type.getMethodDescriptor(Type.VOID_TYPE, captured);
            MethodVisitor init = writer.visitMethod(Opcodes.ACC_PRIVATE, "<init>", constructorDescriptor, null, null);
            init.visitCode();
            init.visitVarInsn(Opcodes.ALOAD, 0);
            init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
            int slot = 1;
            for (int i = 0; i < captured.length; i++) {
                init.visitVarInsn(Opcodes.ALOAD, 0);
                init.visitVarInsn(captured[i].getOpcode(Opcodes.ILOAD), slot);
                init.visitFieldInsn(Opcodes.PUTFIELD, name, "arg$" + (i + 1), captured[i].getDescriptor());
                slot += captured[i].getSize();
            }
            init.visitInsn(Opcodes.RETURN);
            init.visitMaxs(0, 0);
            init.visitEnd();

            MethodVisitor create = writer.visitMethod(Opcodes.ACC_STATIC, "create", site.factoryDescriptor(), null,
                    null);
            create.visitCode();
            if (captured.length == 0) {
                // The metafactory's call site of a lambda that captures nothing answers one instance.
                writer.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "INSTANCE",
                        "L" + name + ";", null, null).visitEnd();
                MethodVisitor clinit = writer.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
                clinit.visitCode();
                clinit.visitTypeInsn(Opcodes.NEW, name);
                clinit.visitInsn(Opcodes.DUP);
                clinit.visitMethodInsn(Opcodes.INVOKESPECIAL, name, "<init>", "()V", false);
                clinit.visitFieldInsn(Opcodes.PUTSTATIC, name, "INSTANCE", "L" + name + ";");
                clinit.visitInsn(Opcodes.RETURN);
                clinit.visitMaxs(0, 0);
                clinit.visitEnd();
                create.visitFieldInsn(Opcodes.GETSTATIC, name, "INSTANCE", "L" + name + ";");
            } else {
                create.visitTypeInsn(Opcodes.NEW, name);
                create.visitInsn(Opcodes.DUP);
                slot = 0;
                for (Type type : captured) {
                    create.visitVarInsn(type.getOpcode(Opcodes.ILOAD), slot);
                    slot += type.getSize();
                }
                create.visitMethodInsn(Opcodes.INVOKESPECIAL, name, "<init>", constructorDescriptor, false);
            }
            create.visitInsn(Opcodes.ARETURN);
            create.visitMaxs(0, 0);
            create.visitEnd();

            forwarding(writer, name, site);
            writer.visitEnd();
            return writer.toByteArray();
        }

        private static void forwarding(ClassWriter writer, String name, Site site) {
            Type sam = site.samType();
            MethodVisitor method = writer.visitMethod(Opcodes.ACC_PUBLIC, site.methodName(), sam.getDescriptor(),
                    null, null);
            Convert convert = new Convert(method);
            method.visitCode();
            Handle implementation = site.implementation();
            if (implementation.getTag() == Opcodes.H_NEWINVOKESPECIAL) {
                method.visitTypeInsn(Opcodes.NEW, implementation.getOwner());
                method.visitInsn(Opcodes.DUP);
            }
            Type[] captured = site.captured();
            for (int i = 0; i < captured.length; i++) {
                method.visitVarInsn(Opcodes.ALOAD, 0);
                method.visitFieldInsn(Opcodes.GETFIELD, name, "arg$" + (i + 1), captured[i].getDescriptor());
            }
            List<Type> implParameters = site.implementationParameters();
            Type[] samParameters = sam.getArgumentTypes();
            Type[] instantiated = site.instantiatedType().getArgumentTypes();
            int slot = 1;
            for (int i = 0; i < samParameters.length; i++) {
                method.visitVarInsn(samParameters[i].getOpcode(Opcodes.ILOAD), slot);
                slot += samParameters[i].getSize();
                convert.convert(samParameters[i], implParameters.get(captured.length + i), instantiated[i]);
            }
            switch (implementation.getTag()) {
                case Opcodes.H_INVOKESTATIC -> method.visitMethodInsn(Opcodes.INVOKESTATIC, implementation.getOwner(),
                        implementation.getName(), implementation.getDesc(), implementation.isInterface());
                case Opcodes.H_NEWINVOKESPECIAL -> method.visitMethodInsn(Opcodes.INVOKESPECIAL,
                        implementation.getOwner(), "<init>", implementation.getDesc(), false);
                // A private method of the nest (the only kind of invokespecial handle accepted): nestmates call
                // it with invokevirtual or invokeinterface (JVMS 11).
                case Opcodes.H_INVOKEVIRTUAL, Opcodes.H_INVOKESPECIAL, Opcodes.H_INVOKEINTERFACE ->
                        method.visitMethodInsn(implementation.isInterface() ? Opcodes.INVOKEINTERFACE
                                        : Opcodes.INVOKEVIRTUAL, implementation.getOwner(), implementation.getName(),
                                implementation.getDesc(), implementation.isInterface());
                default -> throw new IllegalStateException("unexpected handle " + implementation);
            }
            Type samReturn = sam.getReturnType();
            convert.convert(site.implementationReturn(), samReturn, samReturn);
            method.visitInsn(samReturn.getOpcode(Opcodes.IRETURN));
            method.visitMaxs(0, 0);
            method.visitEnd();
        }
    }

    /** The metafactory's argument and return conversions (the JDK's TypeConvertingMethodAdapter.convertType). */
    static final class Convert {
        private final MethodVisitor method;

        Convert(MethodVisitor method) {
            this.method = method;
        }

        void convert(Type argument, Type target, Type functional) {
            if (argument.equals(target) && argument.equals(functional)) {
                return;
            }
            if (argument.getSort() == Type.VOID || target.getSort() == Type.VOID) {
                return;
            }
            if (isPrimitive(argument)) {
                if (isPrimitive(target)) {
                    widen(argument, target);
                } else {
                    Type primitiveOfTarget = unboxed(target);
                    if (primitiveOfTarget != null) {
                        widen(argument, primitiveOfTarget);
                        box(primitiveOfTarget);
                    } else {
                        box(argument);
                        cast(boxed(argument), target);
                    }
                }
                return;
            }
            Type source;
            if (isPrimitive(functional)) {
                source = argument;
            } else {
                source = functional;
                cast(argument, functional);
            }
            if (isPrimitive(target)) {
                Type primitiveOfSource = unboxed(source);
                if (primitiveOfSource != null) {
                    if (isNumber(primitiveOfSource)) {
                        unbox(source.getInternalName(), target);
                    } else {
                        unbox(source.getInternalName(), primitiveOfSource);
                        widen(primitiveOfSource, target);
                    }
                } else {
                    String intermediate = isNumber(target) ? "java/lang/Number" : boxed(target).getInternalName();
                    cast(source, Type.getObjectType(intermediate));
                    unbox(intermediate, target);
                }
            } else {
                cast(source, target);
            }
        }

        private static boolean isPrimitive(Type type) {
            return type.getSort() != Type.OBJECT && type.getSort() != Type.ARRAY;
        }

        private static boolean isNumber(Type primitive) {
            return primitive.getSort() != Type.BOOLEAN && primitive.getSort() != Type.CHAR;
        }

        private void cast(Type from, Type to) {
            if (!from.equals(to) && !to.getDescriptor().equals("Ljava/lang/Object;")) {
                method.visitTypeInsn(Opcodes.CHECKCAST, to.getSort() == Type.ARRAY ? to.getDescriptor()
                        : to.getInternalName());
            }
        }

        private void box(Type primitive) {
            Type wrapper = boxed(primitive);
            method.visitMethodInsn(Opcodes.INVOKESTATIC, wrapper.getInternalName(), "valueOf",
                    Type.getMethodDescriptor(wrapper, primitive), false);
        }

        private void unbox(String owner, Type primitive) {
            method.visitMethodInsn(Opcodes.INVOKEVIRTUAL, owner, primitive.getClassName() + "Value",
                    Type.getMethodDescriptor(primitive), false);
        }

        private void widen(Type from, Type to) {
            int f = stackSort(from);
            int t = stackSort(to);
            if (from.equals(to)) {
                return;
            }
            if (f == Type.INT) {
                switch (to.getSort()) {
                    case Type.LONG -> method.visitInsn(Opcodes.I2L);
                    case Type.FLOAT -> method.visitInsn(Opcodes.I2F);
                    case Type.DOUBLE -> method.visitInsn(Opcodes.I2D);
                    default -> {
                        // byte, short, char to int (or int to a narrower sort, which the metafactory refuses)
                    }
                }
            } else if (f == Type.LONG && t == Type.FLOAT) {
                method.visitInsn(Opcodes.L2F);
            } else if (f == Type.LONG && t == Type.DOUBLE) {
                method.visitInsn(Opcodes.L2D);
            } else if (f == Type.FLOAT && t == Type.DOUBLE) {
                method.visitInsn(Opcodes.F2D);
            }
        }

        private static int stackSort(Type type) {
            return switch (type.getSort()) {
                case Type.BOOLEAN, Type.BYTE, Type.SHORT, Type.CHAR, Type.INT -> Type.INT;
                default -> type.getSort();
            };
        }

        static Type boxed(Type primitive) {
            return Type.getObjectType(switch (primitive.getSort()) {
                case Type.BOOLEAN -> "java/lang/Boolean";
                case Type.BYTE -> "java/lang/Byte";
                case Type.SHORT -> "java/lang/Short";
                case Type.CHAR -> "java/lang/Character";
                case Type.INT -> "java/lang/Integer";
                case Type.LONG -> "java/lang/Long";
                case Type.FLOAT -> "java/lang/Float";
                case Type.DOUBLE -> "java/lang/Double";
                default -> throw new IllegalArgumentException(primitive.toString());
            });
        }

        static Type unboxed(Type reference) {
            return switch (reference.getDescriptor()) {
                case "Ljava/lang/Boolean;" -> Type.BOOLEAN_TYPE;
                case "Ljava/lang/Byte;" -> Type.BYTE_TYPE;
                case "Ljava/lang/Short;" -> Type.SHORT_TYPE;
                case "Ljava/lang/Character;" -> Type.CHAR_TYPE;
                case "Ljava/lang/Integer;" -> Type.INT_TYPE;
                case "Ljava/lang/Long;" -> Type.LONG_TYPE;
                case "Ljava/lang/Float;" -> Type.FLOAT_TYPE;
                case "Ljava/lang/Double;" -> Type.DOUBLE_TYPE;
                default -> null;
            };
        }
    }
}
