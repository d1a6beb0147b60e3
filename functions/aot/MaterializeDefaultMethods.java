import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Gives each class of a Lambda jar a concrete method for each interface default method it inherits from the
 * jar's own interfaces (root pom, execution "materialize-default-methods", after DesugarCallSites): a method that
 * calls that very default ({@code invokespecial}), so that a call answers exactly as before.
 *
 * <p>Why: when HotSpot loads a class whose interfaces declare default methods, it looks for the default of every
 * "empty vtable slot" by walking the class's whole interface hierarchy, and the slots include every default its
 * superclasses inherited without implementing it. Micronaut's generated classes inherit some 300 defaults
 * (AnnotationMetadata, BeanDefinition, BeanType...) through the abstract classes they extend, so each bean
 * definition, introspection and executable method paid for some 300 such walks when it was loaded: a quarter of
 * the operator's class preloading CPU (async-profiler: {@code DefaultMethods::generate_default_methods},
 * {@code InstanceKlass::find_method_index}). A default implemented once in the abstract class is no empty slot for
 * any subclass. docs/performance.md has the figures.
 *
 * <p>What a class gets, and when it is left alone. A default is materialized in a class only when the JVM's own
 * selection (JVMS 5.4.6: the class chain first, then the one maximally-specific non-abstract superinterface
 * method) can be proved from the class files to pick it for that class and for every subclass in the jar:
 * <ul>
 *   <li>no class of the chain declares a method of that name and descriptor (a materialized one in a superclass
 *       counts), and every superclass but {@code java.lang.Object} is in the jar;</li>
 *   <li>exactly one maximally-specific superinterface method is non-abstract, in an interface of the jar, and no
 *       JDK interface of the class declares that name and descriptor (the runtime's JDK could differ from the
 *       build's);</li>
 *   <li>no subclass in the jar gains, through interfaces of its own, another method of that name and descriptor
 *       (which could then be the more specific one);</li>
 *   <li>the interface may be named by the class: public or in its package, not sealed unless it already is a
 *       direct superinterface (it becomes one where it is not, as {@code invokespecial} requires; the class's
 *       generic signature names it too, raw, so reflection's two lists stay aligned);</li>
 *   <li>the class file is Java 8 or later; interfaces, {@code module-info} and {@code META-INF} entries are not
 *       touched, and a multi-release jar is refused.</li>
 * </ul>
 * The method is public, as the default is, keeps its varargs, bridge and synthetic flags, declared exceptions, parameter names and
 * run-time visible annotations, and has a generic signature only when the interface has no type parameters.
 * The jar is a closed world for this: the functions create no subclasses at run time (Micronaut's AOP is
 * compile-time), and a class outside the jar that extends one of its classes is not considered.
 *
 * <p>Usage: {@code java -cp asm.jar MaterializeDefaultMethods.java <jar> [--report]}: rewrites the jar in place
 * and prints how many classes and methods it wrote ({@code --report}: and each class with its methods).
 */
public final class MaterializeDefaultMethods {

    private static final int NOT_INHERITED = Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE;
    /** A default's flags its materialized method keeps: a bridge stays a bridge to reflection. */
    private static final int KEPT_FLAGS = Opcodes.ACC_VARARGS | Opcodes.ACC_BRIDGE | Opcodes.ACC_SYNTHETIC;

    private MaterializeDefaultMethods() {
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(args));
        boolean report = arguments.remove("--report");
        if (arguments.size() != 1) {
            System.err.println("usage: java -cp asm.jar MaterializeDefaultMethods.java <jar> [--report]");
            System.exit(2);
        }
        Path jar = Path.of(arguments.get(0));
        Map<String, byte[]> entries = DesugarCallSites.read(jar);
        byte[] manifest = entries.get("META-INF/MANIFEST.MF");
        if (manifest != null && new String(manifest, StandardCharsets.UTF_8).contains("Multi-Release: true")) {
            throw new IllegalStateException(jar + " is a multi-release jar; MaterializeDefaultMethods reads only its base classes");
        }
        Map<String, List<Materialized>> plan = plan(entries);
        if (report) {
            plan.forEach((name, methods) -> System.out.println(name + ": " + methods));
        }
        Path tmp = jar.resolveSibling(jar.getFileName() + ".materialized");
        DesugarCallSites.write(rewrite(entries, plan), tmp);
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.printf("MaterializeDefaultMethods %s: %d default methods materialized in %d classes%n",
                jar.getFileName(), plan.values().stream().mapToInt(List::size).sum(), plan.size());
    }

    /** A default method {@code name descriptor} of {@code owner} that a class gets a method for. */
    record Materialized(String owner, String name, String descriptor) {
        String key() {
            return name + descriptor;
        }

        @Override
        public String toString() {
            return owner + "." + name + descriptor;
        }
    }

    /** What the analysis needs of a class file: its header and its methods' access flags by name and descriptor. */
    record ClassInfo(String name, String superName, List<String> interfaces, int access, int version, String signature,
                     Map<String, Integer> methods, boolean sealed, boolean inJar) {
        boolean isInterface() {
            return (access & Opcodes.ACC_INTERFACE) != 0;
        }

        /** A method a subclass or implementation inherits or overrides: neither static nor private, nor a constructor. */
        boolean declaresInherited(String key) {
            Integer flags = methods.get(key);
            return flags != null && (flags & NOT_INHERITED) == 0;
        }

        String packageName() {
            int slash = name.lastIndexOf('/');
            return slash < 0 ? "" : name.substring(0, slash);
        }
    }

    /** The jar's classes, and the JDK's exported ones, read once each; null for a class found in neither. */
    static final class Classes {
        private final Map<String, byte[]> entries;
        private final Map<String, ClassInfo> cache = new HashMap<>();
        private final Map<String, Set<String>> superinterfaces = new HashMap<>();

        Classes(Map<String, byte[]> entries) {
            this.entries = entries;
        }

        ClassInfo find(String name) {
            if (name == null) {
                return null;
            }
            if (cache.containsKey(name)) {
                return cache.get(name);
            }
            byte[] bytes = entries.get(name + ".class");
            boolean inJar = bytes != null;
            if (bytes == null) {
                bytes = jdkClass(name);
            }
            ClassInfo info = bytes == null ? null : parse(bytes, inJar);
            cache.put(name, info);
            return info;
        }

        /** Every interface {@code type} extends or implements, through its superclasses too; null if one is unknown. */
        Set<String> allInterfaces(String type) {
            if (superinterfaces.containsKey(type)) {
                return superinterfaces.get(type);
            }
            Set<String> all = find(type) == null ? null : new LinkedHashSet<>();
            Deque<String> pending = new ArrayDeque<>();
            for (ClassInfo c = find(type); c != null && all != null; c = find(c.superName())) {
                pending.addAll(c.interfaces());
                if (c.superName() != null && find(c.superName()) == null) {
                    all = null;
                    break;
                }
            }
            while (all != null && !pending.isEmpty()) {
                String next = pending.pop();
                ClassInfo info = find(next);
                if (info == null) {
                    all = null;
                } else if (all.add(next)) {
                    pending.addAll(info.interfaces());
                }
            }
            superinterfaces.put(type, all);
            return all;
        }

        private static byte[] jdkClass(String name) {
            try (InputStream in = ClassLoader.getPlatformClassLoader().getResourceAsStream(name + ".class")) {
                return in == null ? null : in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static ClassInfo parse(byte[] bytes, boolean inJar) {
            ClassReader reader = new ClassReader(bytes);
            Map<String, Integer> methods = new HashMap<>();
            int[] version = {0};
            String[] signature = {null};
            boolean[] sealed = {false};
            reader.accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public void visit(int v, int access, String name, String sig, String superName, String[] interfaces) {
                    version[0] = v & 0xFFFF;
                    signature[0] = sig;
                }

                @Override
                public void visitPermittedSubclass(String permittedSubclass) {
                    sealed[0] = true;
                }

                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String sig, String[] exceptions) {
                    methods.put(name + descriptor, access);
                    return null;
                }
            }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            return new ClassInfo(reader.getClassName(), reader.getSuperName(), List.of(reader.getInterfaces()),
                    reader.getAccess(), version[0], signature[0], methods, sealed[0], inJar);
        }
    }

    /** For each class of the jar, the defaults it gets a method for (classes without any are left out). */
    static Map<String, List<Materialized>> plan(Map<String, byte[]> entries) {
        Classes classes = new Classes(entries);
        List<ClassInfo> jarClasses = new ArrayList<>();
        for (String entry : entries.keySet()) {
            if (entry.endsWith(".class") && !entry.startsWith("META-INF/") && !entry.endsWith("module-info.class")) {
                ClassInfo info = classes.find(entry.substring(0, entry.length() - ".class".length()));
                if (info != null && !info.isInterface()) {
                    jarClasses.add(info);
                }
            }
        }
        // Each class's subclasses in the jar, at any depth.
        Map<String, List<ClassInfo>> subclasses = new HashMap<>();
        for (ClassInfo c : jarClasses) {
            for (ClassInfo s = classes.find(c.superName()); s != null && s.inJar(); s = classes.find(s.superName())) {
                subclasses.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(c);
            }
        }
        // Superclasses first, so that a class sees what its superclasses got.
        jarClasses.sort(Comparator.comparingInt((ClassInfo c) -> depth(classes, c)).thenComparing(ClassInfo::name));
        Map<String, List<Materialized>> plan = new LinkedHashMap<>();
        for (ClassInfo type : jarClasses) {
            List<Materialized> methods = materializable(classes, type, subclasses.getOrDefault(type.name(), List.of()), plan);
            if (!methods.isEmpty()) {
                plan.put(type.name(), methods);
            }
        }
        return plan;
    }

    private static int depth(Classes classes, ClassInfo type) {
        int depth = 0;
        for (ClassInfo c = type; c != null; c = classes.find(c.superName())) {
            depth++;
        }
        return depth;
    }

    private static List<Materialized> materializable(Classes classes, ClassInfo type, List<ClassInfo> subclasses,
                                                     Map<String, List<Materialized>> plan) {
        if (type.version() < Opcodes.V1_8) {
            return List.of();
        }
        List<ClassInfo> chain = new ArrayList<>();
        for (ClassInfo c = type; c != null; c = classes.find(c.superName())) {
            if (!c.inJar() && !c.name().equals("java/lang/Object")) {
                return List.of(); // a JDK superclass other than Object: its methods may differ at run time
            }
            chain.add(c);
        }
        if (!chain.get(chain.size() - 1).name().equals("java/lang/Object")) {
            return List.of(); // a superclass is missing
        }
        Set<String> interfaces = classes.allInterfaces(type.name());
        if (interfaces == null) {
            return List.of();
        }
        Map<String, List<ClassInfo>> declarers = new LinkedHashMap<>();
        Set<String> declaredByJdk = new HashSet<>();
        for (String name : interfaces) {
            ClassInfo itf = classes.find(name);
            for (String key : itf.methods().keySet()) {
                if (!itf.declaresInherited(key) || key.startsWith("<")) {
                    continue;
                }
                if (itf.inJar()) {
                    declarers.computeIfAbsent(key, k -> new ArrayList<>()).add(itf);
                } else {
                    declaredByJdk.add(key);
                }
            }
        }
        List<Set<String>> subclassInterfaceMethods = null; // computed on first need
        List<Materialized> result = new ArrayList<>();
        for (Map.Entry<String, List<ClassInfo>> candidate : declarers.entrySet()) {
            String key = candidate.getKey();
            if (declaredByJdk.contains(key) || declaredInChain(chain, key, plan)) {
                continue;
            }
            ClassInfo selected = selected(classes, candidate.getValue(), key);
            if (selected == null || !nameable(selected, type)) {
                continue;
            }
            if (subclassInterfaceMethods == null) {
                subclassInterfaceMethods = subclassInterfaceMethods(classes, type, interfaces, subclasses);
            }
            if (subclassInterfaceMethods == null || subclassInterfaceMethods.stream().anyMatch(keys -> keys.contains(key))) {
                continue;
            }
            int descriptorStart = key.indexOf('(');
            result.add(new Materialized(selected.name(), key.substring(0, descriptorStart), key.substring(descriptorStart)));
        }
        return result;
    }

    /** Whether a class of the chain declares the method (any access), or got it materialized. */
    private static boolean declaredInChain(List<ClassInfo> chain, String key, Map<String, List<Materialized>> plan) {
        for (ClassInfo c : chain) {
            if (c.methods().containsKey(key)
                    || plan.getOrDefault(c.name(), List.of()).stream().anyMatch(m -> m.key().equals(key))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The interface whose default the JVM selects among {@code declarers} (JVMS 5.4.3.3, 5.4.6): of the
     * maximally-specific ones, exactly one non-abstract; null when none or several are.
     */
    private static ClassInfo selected(Classes classes, List<ClassInfo> declarers, String key) {
        ClassInfo selected = null;
        for (ClassInfo itf : declarers) {
            boolean moreSpecificExists = false;
            for (ClassInfo other : declarers) {
                Set<String> otherSupers = classes.allInterfaces(other.name());
                if (other != itf && otherSupers != null && otherSupers.contains(itf.name())) {
                    moreSpecificExists = true;
                    break;
                }
            }
            if (!moreSpecificExists && (itf.methods().get(key) & Opcodes.ACC_ABSTRACT) == 0) {
                if (selected != null) {
                    return null;
                }
                selected = itf;
            }
        }
        return selected;
    }

    /** Whether {@code type} may name {@code itf} as a direct superinterface and {@code invokespecial} its method. */
    private static boolean nameable(ClassInfo itf, ClassInfo type) {
        boolean accessible = (itf.access() & Opcodes.ACC_PUBLIC) != 0 || itf.packageName().equals(type.packageName());
        return accessible && (!itf.sealed() || type.interfaces().contains(itf.name())) && itf.version() >= Opcodes.V1_8;
    }

    /**
     * For each subclass, the methods declared by the interfaces it adds below {@code type} (their whole
     * hierarchies, less what {@code type} already has), unless a class between them declares the method anyway:
     * such a method could be more specific than the default selected for {@code type}. Null if one is unknown.
     */
    private static List<Set<String>> subclassInterfaceMethods(Classes classes, ClassInfo type, Set<String> typeInterfaces,
                                                              List<ClassInfo> subclasses) {
        List<Set<String>> result = new ArrayList<>();
        for (ClassInfo subclass : subclasses) {
            Set<String> added = new HashSet<>();
            Set<String> declaredBelow = new HashSet<>();
            for (ClassInfo c = subclass; c != null && !c.name().equals(type.name()); c = classes.find(c.superName())) {
                declaredBelow.addAll(c.methods().keySet());
                for (String itf : c.interfaces()) {
                    Set<String> supers = classes.allInterfaces(itf);
                    if (supers == null) {
                        return null;
                    }
                    added.add(itf);
                    added.addAll(supers);
                }
            }
            added.removeAll(typeInterfaces);
            Set<String> keys = new HashSet<>();
            for (String itf : added) {
                ClassInfo info = classes.find(itf);
                for (String key : info.methods().keySet()) {
                    if (info.declaresInherited(key) && !declaredBelow.contains(key)) {
                        keys.add(key);
                    }
                }
            }
            if (!keys.isEmpty()) {
                result.add(keys);
            }
        }
        return result;
    }

    static Map<String, byte[]> rewrite(Map<String, byte[]> entries, Map<String, List<Materialized>> plan) {
        Map<String, byte[]> out = new LinkedHashMap<>(entries);
        for (Map.Entry<String, List<Materialized>> type : plan.entrySet()) {
            String entry = type.getKey() + ".class";
            ClassReader reader = new ClassReader(entries.get(entry));
            ClassWriter writer = new ClassWriter(reader, 0);
            reader.accept(new Materializer(writer, type.getValue(), entries), 0);
            out.put(entry, writer.toByteArray());
        }
        return out;
    }

    /** Adds the direct superinterfaces and the methods; copies everything else as it is. */
    private static final class Materializer extends ClassVisitor {
        private final List<Materialized> methods;
        private final Map<String, byte[]> entries;

        Materializer(ClassVisitor next, List<Materialized> methods, Map<String, byte[]> entries) {
            super(Opcodes.ASM9, next);
            this.methods = methods;
            this.entries = entries;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            List<String> all = new ArrayList<>(List.of(interfaces));
            StringBuilder generic = signature == null ? null : new StringBuilder(signature);
            for (Materialized m : methods) {
                if (!all.contains(m.owner())) {
                    all.add(m.owner());
                    if (generic != null) {
                        generic.append('L').append(m.owner()).append(';');
                    }
                }
            }
            super.visit(version, access, name, generic == null ? null : generic.toString(), superName,
                    all.toArray(String[]::new));
        }

        @Override
        public void visitEnd() {
            for (Materialized m : methods) {
                new ClassReader(entries.get(m.owner() + ".class")).accept(new ClassVisitor(Opcodes.ASM9) {
                    private boolean genericOwner;

                    @Override
                    public void visit(int version, int access, String name, String signature, String superName,
                                      String[] interfaces) {
                        genericOwner = signature != null && signature.startsWith("<");
                    }

                    @Override
                    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                     String[] exceptions) {
                        if (!name.equals(m.name()) || !descriptor.equals(m.descriptor())) {
                            return null;
                        }
                        MethodVisitor target = Materializer.this.cv.visitMethod(Opcodes.ACC_PUBLIC | (access & KEPT_FLAGS),
                                name, descriptor, genericOwner ? null : signature, exceptions);
                        return new Forwarder(target, m);
                    }
                }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            }
            super.visitEnd();
        }
    }

    /**
     * Copies the default's parameter names and run-time visible annotations, then writes the body in place of
     * the default's code: {@code this} and each argument, {@code invokespecial} of the default, return.
     */
    private static final class Forwarder extends MethodVisitor {
        private final Materialized method;

        Forwarder(MethodVisitor target, Materialized method) {
            super(Opcodes.ASM9, target);
            this.method = method;
        }

        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            return visible ? super.visitAnnotation(descriptor, true) : null;
        }

        @Override
        public AnnotationVisitor visitParameterAnnotation(int parameter, String descriptor, boolean visible) {
            return visible ? super.visitParameterAnnotation(parameter, descriptor, true) : null;
        }

        @Override
        public void visitAnnotableParameterCount(int parameterCount, boolean visible) {
            if (visible) {
                super.visitAnnotableParameterCount(parameterCount, true);
            }
        }

        @Override
        public AnnotationVisitor visitTypeAnnotation(int typeRef, org.objectweb.asm.TypePath typePath, String descriptor,
                                                     boolean visible) {
            return null;
        }

        @Override
        public AnnotationVisitor visitAnnotationDefault() {
            return null;
        }

        @Override
        public void visitAttribute(org.objectweb.asm.Attribute attribute) {
        }

        @Override
        public void visitCode() {
            MethodVisitor out = mv;
            mv = null; // the default's own instructions are not copied
            out.visitCode();
            out.visitVarInsn(Opcodes.ALOAD, 0);
            int slot = 1;
            for (Type argument : Type.getArgumentTypes(method.descriptor())) {
                out.visitVarInsn(argument.getOpcode(Opcodes.ILOAD), slot);
                slot += argument.getSize();
            }
            out.visitMethodInsn(Opcodes.INVOKESPECIAL, method.owner(), method.name(), method.descriptor(), true);
            Type returned = Type.getReturnType(method.descriptor());
            out.visitInsn(returned.getOpcode(Opcodes.IRETURN));
            out.visitMaxs(Math.max(slot, returned.getSize()), slot);
            out.visitEnd();
        }

        @Override
        public void visitEnd() {
            if (mv != null) {
                throw new IllegalStateException(method + " has no code: not a default method");
            }
        }
    }
}
