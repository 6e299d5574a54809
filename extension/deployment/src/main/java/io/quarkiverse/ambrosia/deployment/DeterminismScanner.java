package io.quarkiverse.ambrosia.deployment;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.MethodInfo;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Looks into the bytecode of an immortal's methods for calls whose results differ between a run and its replay.
 * It sees the immortal's own methods and the lambdas in them, not the methods they call in other classes.
 */
final class DeterminismScanner {

    static final DotName ALLOW = DotName.createSimple("io.quarkiverse.ambrosia.AllowNonDeterminism");

    private static final String NOW = "reads the clock; use Immortals.now(), which is recorded in the log";
    private static final String RANDOM = "draws randomness; use Immortals.random(), which is seeded from the log";
    private static final String UUID = "draws a random UUID; use Immortals.uuid(), which is derived from the log";
    private static final String THREAD = "starts concurrent work; a handler must run to completion on the dispatcher";
    private static final String IO = "does network I/O, which every replay would repeat; call out from outside the"
            + " immortal and pass the result in as an argument";

    /** owner/name of static or virtual calls, to the reason; name "*" matches every method of the owner. */
    private static final Map<String, String> CALLS = Map.ofEntries(
            Map.entry("java/lang/System.currentTimeMillis", NOW),
            Map.entry("java/lang/System.nanoTime", NOW),
            Map.entry("java/time/Instant.now", NOW),
            Map.entry("java/time/LocalDateTime.now", NOW),
            Map.entry("java/time/LocalDate.now", NOW),
            Map.entry("java/time/LocalTime.now", NOW),
            Map.entry("java/time/ZonedDateTime.now", NOW),
            Map.entry("java/time/OffsetDateTime.now", NOW),
            Map.entry("java/time/Clock.systemUTC", NOW),
            Map.entry("java/time/Clock.systemDefaultZone", NOW),
            Map.entry("java/util/UUID.randomUUID", UUID),
            Map.entry("java/lang/Math.random", RANDOM),
            Map.entry("java/util/concurrent/ThreadLocalRandom.current", RANDOM),
            Map.entry("java/lang/Thread.start", THREAD),
            Map.entry("java/lang/Thread.startVirtualThread", THREAD),
            Map.entry("java/util/concurrent/Executors.*", THREAD),
            Map.entry("java/util/concurrent/CompletableFuture.supplyAsync", THREAD),
            Map.entry("java/util/concurrent/CompletableFuture.runAsync", THREAD),
            Map.entry("java/net/http/HttpClient.send", IO),
            Map.entry("java/net/http/HttpClient.sendAsync", IO),
            Map.entry("java/net/URL.openConnection", IO),
            Map.entry("java/net/URL.openStream", IO));

    /** Classes whose construction is the problem. */
    private static final Map<String, String> CONSTRUCTIONS = Map.of(
            "java/util/Random", RANDOM,
            "java/security/SecureRandom", RANDOM,
            "java/util/SplittableRandom", RANDOM,
            "java/lang/Thread", THREAD,
            "java/net/Socket", IO);

    private DeterminismScanner() {
    }

    /**
     * @return one message per non-deterministic call, naming the method and the fix
     */
    static List<String> scan(ClassInfo clazz, ClassLoader loader) {
        if (clazz.hasDeclaredAnnotation(ALLOW)) {
            return List.of();
        }
        Set<String> allowed = new java.util.HashSet<>();
        for (MethodInfo method : clazz.methods()) {
            if (method.hasDeclaredAnnotation(ALLOW)) {
                allowed.add(method.name());
            }
        }
        byte[] bytecode;
        String resource = clazz.name().toString().replace('.', '/') + ".class";
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                return List.of();
            }
            bytecode = in.readAllBytes();
        } catch (IOException e) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        new ClassReader(bytecode).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                String method = enclosingMethod(name);
                if (allowed.contains(method) || name.equals("<init>") || name.equals("<clinit>")) {
                    return null;
                }
                String where = "@Immortal method " + clazz.name() + "." + method + "()"
                        + (method.equals(name) ? "" : " (in a lambda)");
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String callee, String calleeDescriptor,
                            boolean isInterface) {
                        String reason = CALLS.get(owner + "." + callee);
                        if (reason == null) {
                            reason = CALLS.get(owner + ".*");
                        }
                        if (reason == null && callee.equals("<init>")) {
                            reason = CONSTRUCTIONS.get(owner);
                        }
                        if (reason != null) {
                            problems.add(where + " calls " + owner.replace('/', '.') + "."
                                    + (callee.equals("<init>") ? "<init>" : callee) + "(): it " + reason
                                    + ". If this cannot change the state or the result, annotate the method with"
                                    + " @AllowNonDeterminism(\"why\")");
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return problems;
    }

    /**
     * {@code lambda$add$0} is a lambda written in {@code add}.
     */
    private static String enclosingMethod(String name) {
        if (name.startsWith("lambda$")) {
            int end = name.indexOf('$', 7);
            return end > 7 ? name.substring(7, end) : name;
        }
        return name;
    }
}
