package org.mptcp4j.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's first tier: what {@link Agent} sets up at premain. It registers itself as the class-file
 * transformer and nothing else; the agent's own class loader ({@link AgentClassLoader}) and the installer
 * inside it are made when the first class the agent rewrites is about to load (or at once, when something
 * must start with the JVM or a socket class is already loaded), so a program that never opens a socket pays
 * for two small classes. Whatever goes wrong, the application keeps running as if there were no agent: one
 * line on stderr, plain TCP.
 */
public final class LazyAgent implements ClassFileTransformer {
    /**
     * The classes the agent rewrites, as {@code HookPoint.Target} names them (a unit test keeps the two equal):
     * internal names, matched exactly, and Netty's, matched by their end since relocated copies keep it.
     */
    static final String[] EXACT_TARGETS = {"sun/nio/ch/Net", "sun/nio/ch/SocketChannelImpl", "sun/nio/ch/ServerSocketChannelImpl",
        "sun/nio/ch/NioSocketImpl", "java/lang/Runtime"};
    static final String[] SUFFIX_TARGETS = {"/channel/unix/Socket", "/channel/epoll/Native", "/channel/epoll/LinuxSocket",
        "/channel/uring/LinuxSocket", "/channel/uring/AbstractIoUringChannel", "/channel/uring/AbstractIoUringStreamChannel",
        "/channel/unix/FileDescriptor"};

    /**
     * Classes a program loads shortly before its first socket class (an address; the socket classes' common parents):
     * from the first of them, the agent's classes a first connection needs are loaded on a second thread
     * ({@code FirstSocketClasses}), ahead of the set-up. None of them loads in a program that opens no socket.
     */
    static final String[] SOCKET_SIGNS = {"java/net/SocketAddress", "java/net/SocketImpl", "java/nio/channels/NetworkChannel"};

    /** The Prometheus setting's three spellings (Setting.PROMETHEUS; a unit test keeps them equal): it starts with the JVM. */
    static final String PROMETHEUS_KEY = "prometheus";
    static final String PROMETHEUS_PROPERTY = "mptcp4j.prometheus";
    static final String PROMETHEUS_VARIABLE = "MPTCP4J_PROMETHEUS";

    private static LazyAgent first; // under LazyAgent.class: the agent this JVM started first

    private final String args;
    private final Instrumentation inst;
    private final boolean attached;
    private volatile ClassFileTransformer delegate; // the installer's transformer, once installed
    private boolean installed; // under LazyAgent.class: tried (it may have failed: the agent is then off)
    private ClassLoader agentLoader; // under LazyAgent.class: made once, by the first of install and loadAhead
    private volatile boolean loadingAhead; // a socket sign loaded: the agent's classes are being loaded ahead
    private Thread installing; // under LazyAgent.class

    /**
     * Every class the JVM loads while a transformer is registered is handed to it, at a cost per class whatever the
     * transformer does. After this many classes, once a socket class has loaded (the agent is then set up, and
     * weaving the rest ahead costs little), the agent weaves what is left ahead ({@link #eagerBy}) and stops watching;
     * after {@link #IDLE_FACTOR} times as many without any, too (setting the agent up is then the price; a program
     * that loaded that many loads many more). 0: never.
     */
    static final String EAGER_AFTER_PROPERTY = "mptcp4j.agent.eagerAfterClasses";
    static final int IDLE_FACTOR = 2;
    private final int eagerAfter;
    private int seen; // classes handed to transform: racy, the thresholds need no precision
    private boolean eagerStarted; // under this
    private volatile Runnable eager; // the installer's: weaves ahead, then calls letGo
    private boolean watching = true; // under LazyAgent.class: registered as the transformer
    private boolean nettyHeard; // under LazyAgent.class: a Netty native library loaded after the agent could hear of it
    // set at start, read after install (both under LazyAgent.class): only the JDK's classes loaded before this transformer
    private boolean sawEveryClass;
    private volatile boolean nativeSeen; // a class named Native loaded: Netty's transports load their library there

    private LazyAgent(String args, Instrumentation inst, boolean attached) {
        this.args = args;
        this.inst = inst;
        this.attached = attached;
        this.eagerAfter = Integer.getInteger(EAGER_AFTER_PROPERTY, 1000);
    }

    static synchronized void start(String args, Instrumentation inst, boolean attached) {
        if (first != null) { // the jar given twice, or attached to a JVM that has it: each start would make its own loader
            System.err.println("mptcp4j agent: already active; arguments \"" + args + "\" ignored");
            return;
        }
        LazyAgent agent = new LazyAgent(args, inst, attached);
        try {
            first = agent;
            // a jar's manifest may start the agent without Can-Retransform-Classes: classes not loaded yet are still rewritten
            inst.addTransformer(agent, inst.isRetransformClassesSupported());
            List<Class<?>> loaded = agent.loadedTargets();
            boolean now = attached || startsWithTheJvm(args);
            if (now || !loaded.isEmpty() || !isLinux()) {
                agent.install(loaded, now); // on another OS, the installer says why the agent is off
            }
        } catch (Throwable t) {
            disabled(t);
        }
    }

    /**
     * Target classes already loaded: at attach, any; at premain, only if code other than the JDK's ran before
     * (an agent ahead of this one). Checking the few classes others loaded first spares naming the JDK's several
     * hundred at every start.
     */
    private List<Class<?>> loadedTargets() {
        Class<?>[] all = inst.getAllLoadedClasses();
        if (!attached && !othersRan(all)) {
            sawEveryClass = true;
            return new ArrayList<>();
        }
        return targetsAmong(all, false);
    }

    /** The target classes among {@code classes} that can be rewritten; with {@code netty}, only those outside the JDK. */
    private List<Class<?>> targetsAmong(Class<?>[] classes, boolean netty) {
        List<Class<?>> targets = new ArrayList<>();
        for (Class<?> c : classes) {
            // Runtime is always loaded: it is woven only when the agent stops watching
            if (!c.isArray() && c != Runtime.class && (!netty || c.getClassLoader() != null) && isTarget(c.getName(), '.')
                    && inst.isModifiableClass(c)) {
                targets.add(c);
            }
        }
        return targets;
    }

    /**
     * Whether code other than the JDK's and this agent's ran before premain: a class defined by a loader other
     * than the boot loader (another agent's premain class, a custom system class loader or security manager). The
     * JDK's own start before premain opens no socket (JMX and JFR start after it), so without such code none of
     * the targets is loaded yet.
     */
    static boolean othersRan(Class<?>[] loaded) {
        for (Class<?> c : loaded) {
            if (c.getClassLoader() != null && c != Agent.class && c != LazyAgent.class) {
                return true;
            }
        }
        return false;
    }

    /** Whether a class name (separated by {@code separator}) is one the agent rewrites: a few string tests per class loaded. */
    static boolean isTarget(String name, char separator) {
        if (name == null) {
            return false;
        }
        for (String t : EXACT_TARGETS) {
            if (name.length() == t.length() && sameName(name, 0, t, separator)) {
                return true;
            }
        }
        for (String t : SUFFIX_TARGETS) {
            if (name.length() > t.length() && sameName(name, name.length() - t.length(), t, separator)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameName(String name, int from, String internal, char separator) {
        if (separator == '/') {
            return name.startsWith(internal, from);
        }
        for (int i = 0; i < internal.length(); i++) {
            char c = internal.charAt(i);
            if (name.charAt(from + i) != (c == '/' ? separator : c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWithTheJvm(String args) {
        return args != null && args.contains(PROMETHEUS_KEY) || System.getProperty(PROMETHEUS_PROPERTY) != null
                || System.getenv(PROMETHEUS_VARIABLE) != null;
    }

    private static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefining,
                            ProtectionDomain domain, byte[] bytes) {
        if (className != null && className.endsWith("/Native")) {
            nativeSeen = true; // Netty's (a relocated copy's too), or another library's: the agent keeps watching
        }
        if (!isTarget(className, '/')) {
            if (!loadingAhead && isSocketSign(className)) {
                loadAhead();
            }
            int n = ++seen;
            if (n >= eagerAfter && eagerAfter > 0 && (delegate != null || n >= IDLE_FACTOR * eagerAfter) && !eagerStarted) {
                startEager();
            }
            return null; // every class but a dozen
        }
        ClassFileTransformer d = delegate;
        if (d == null) {
            d = install(List.of(), false);
        }
        try {
            return d == null ? null : d.transform(module, loader, className, redefining, domain, bytes);
        } catch (Throwable t) {
            return null; // the installer's transformer reports its own failures; a transformer must not throw
        }
    }

    /**
     * Builds the agent's loader and runs the installer in it, once: the transformer it hands back
     * ({@link #delegateTo}), or null when the agent is off. The installer hands it back before it activates
     * anything, so a target class that activation loads on the installing thread is rewritten too.
     */
    private ClassFileTransformer install(List<Class<?>> loaded, boolean now) {
        synchronized (LazyAgent.class) { // one installation at a time: they share handOff
            return installOnce(loaded, now);
        }
    }

    private ClassFileTransformer installOnce(List<Class<?>> loaded, boolean now) {
        if (installed) {
            return delegate; // on the thread installing: what the installer has handed back so far
        }
        installed = true;
        installing = Thread.currentThread();
        try {
            ClassLoader loader = agentLoader();
            handOff = new Object[] {args, inst, attached, this, loaded, now};
            // a new loader per agent, so a new Installer$Start each time (from class directories: once per JVM)
            Class.forName("org.mptcp4j.agent.Installer$Start", true, loader);
        } catch (ExceptionInInitializerError e) {
            delegate = null;
            disabled(e.getCause());
        } catch (Throwable t) {
            delegate = null;
            disabled(t);
        } finally {
            handOff = null;
            installing = null;
            if (delegate == null) {
                inst.removeTransformer(this);
            }
        }
        return delegate;
    }

    /** The agent's own class loader, made once (under LazyAgent.class). */
    private ClassLoader agentLoader() throws Exception {
        if (agentLoader == null) {
            java.net.URL location = LazyAgent.class.getProtectionDomain().getCodeSource().getLocation();
            Path jar = location.getProtocol().equals("file") ? Path.of(location.toURI()) : null;
            ClassLoader loader = jar == null ? null : AgentClassLoader.of(jar, "org.mptcp4j.agent.Installer");
            // another layout: the agent's classes are on the class path
            agentLoader = loader != null ? loader : LazyAgent.class.getClassLoader();
        }
        return agentLoader;
    }

    private static boolean isSocketSign(String className) {
        for (String sign : SOCKET_SIGNS) {
            if (sign.equals(className)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts loading the agent's classes a first connection needs, once, unless the agent is set up (or off) already:
     * {@code FirstSocketClasses}' initialiser starts the thread. Nothing is reported from here; the set-up reports.
     */
    private void loadAhead() {
        synchronized (LazyAgent.class) {
            if (loadingAhead || installed) {
                return;
            }
            loadingAhead = true;
            try {
                Class.forName("org.mptcp4j.agent.FirstSocketClasses", true, agentLoader());
            } catch (Throwable t) {
                // the set-up, at the first socket class, meets the same trouble and says what it is
            }
        }
    }

    /**
     * What {@code Installer$Start}'s initialiser takes: the arguments, the instrumentation, whether attached, this
     * agent, the target classes already loaded, whether to activate at once. A class initialiser rather than a
     * reflective call because on JDK 18+ the first {@code Method.invoke} spins method handles (milliseconds at every start).
     */
    private static Object[] handOff;

    /** For {@code Installer$Start} only (another loader, so public): what {@link #install} hands off, null outside it. */
    public static Object[] handOff() {
        return handOff;
    }

    /** For the installer only: the transformer this agent hands every target class to from now on. */
    public void delegateTo(ClassFileTransformer transformer) {
        if (installing != Thread.currentThread()) {
            throw new IllegalStateException("not installing");
        }
        delegate = transformer;
    }

    private synchronized void startEager() {
        if (eagerStarted) {
            return;
        }
        eagerStarted = true;
        if (!inst.isRetransformClassesSupported()) {
            return; // Runtime cannot be rewritten: the agent keeps watching
        }
        Thread t = new Thread(new Eager(this), "mptcp4j-agent-eager");
        t.setDaemon(true);
        t.start();
    }

    /** The eager thread: {@link #weaveAhead}. */
    private static final class Eager implements Runnable {
        private final LazyAgent agent;

        Eager(LazyAgent agent) {
            this.agent = agent;
        }

        @Override
        public void run() {
            agent.weaveAhead();
        }
    }

    /**
     * For {@link Prepare}: runs now, on this thread, what a program's start runs once it has loaded enough classes (the
     * installer's weaving ahead, {@code java.lang.Runtime} included, which loads before any agent and is rewritten, not
     * loaded). Whether it ran: false without an agent started with Can-Retransform-Classes, or with the agent off.
     */
    static boolean weaveAheadNow() {
        LazyAgent agent = first();
        if (agent == null || !agent.inst.isRetransformClassesSupported()) {
            return false;
        }
        synchronized (agent) {
            agent.eagerStarted = true; // not a second time on the eager thread
        }
        return agent.weaveAhead();
    }

    /**
     * For {@link Prepare}: whether the prepared woven-class directory holds {@code c} as this JVM's agent wove or read
     * it (the installer's transformer knows). False without an agent.
     */
    @SuppressWarnings("unchecked")
    static boolean keptAhead(Class<?> c) {
        LazyAgent agent = first();
        ClassFileTransformer d = agent == null ? null : agent.delegate;
        return d instanceof java.util.function.Predicate && ((java.util.function.Predicate<String>) d).test(c.getName());
    }

    /** The agent this JVM started first, or null (for {@link Prepare}'s two questions). */
    private static synchronized LazyAgent first() {
        return first;
    }

    /** Installs the agent if the first socket has not yet, then runs what the installer gave {@link #eagerBy}; whether it ran. */
    private boolean weaveAhead() {
        ClassFileTransformer d = install(List.of(), false);
        Runnable e = eager;
        if (d == null || e == null) {
            return false;
        }
        e.run();
        return true;
    }

    /** For the installer only: how to weave ahead what the agent would otherwise wait to see load. */
    public void eagerBy(Runnable eager) {
        this.eager = eager;
    }

    /**
     * For the installer only: a class that may have loaded Netty's native transport library before the agent could hear
     * of it, or null. Netty loads it from its transports' {@code Native} classes (their initialisers); the agent saw
     * them load unless code other than the JDK's ran before it (then the loaded classes are looked at).
     */
    public String nativeTransportLoaded() {
        if (nativeSeen) {
            return "a class named Native";
        }
        if (sawEveryClass) {
            return null;
        }
        for (Class<?> c : inst.getAllLoadedClasses()) {
            String n = c.getName();
            if (n.contains(".channel.epoll.") || n.contains(".channel.uring.") || n.contains(".channel.unix.")) {
                return n;
            }
        }
        return null;
    }

    /**
     * For the installer only, once it wove ahead: stops watching class loading, unless Netty's native library was heard
     * of meanwhile. Whether it stopped.
     */
    public boolean letGo() {
        synchronized (LazyAgent.class) {
            if (nettyHeard || !watching) {
                return false;
            }
            inst.removeTransformer(this);
            watching = false;
            return true;
        }
    }

    /**
     * For the installer only: Netty's native transport is loading its library (nothing of it can run before that).
     * Watches class loading again, for good, and rewrites Netty's classes that loaded while the agent was not watching.
     * Whether it had stopped watching.
     */
    public boolean takeBack() throws Exception {
        synchronized (LazyAgent.class) {
            if (nettyHeard) {
                return false;
            }
            nettyHeard = true;
            if (watching) {
                return false;
            }
            inst.addTransformer(this, true);
            watching = true;
            List<Class<?>> netty = targetsAmong(inst.getAllLoadedClasses(), true); // the JDK's were woven ahead
            if (!netty.isEmpty()) {
                inst.retransformClasses(netty.toArray(new Class<?>[0]));
            }
            return true;
        }
    }

    private static void disabled(Throwable t) {
        System.err.println("mptcp4j agent: disabled, the application runs on plain TCP: " + t);
    }
}
