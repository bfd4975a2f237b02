package org.mptcp4j.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The agent's own class loader. The JVM puts an agent jar on the application's class path, so
 * everything of the agent (its classes, the provider, jffi) is stored under {@value #PREFIX} in the jar,
 * where the application's class loader never looks, and loaded from there by this loader, whose parent
 * is the platform loader: the application's classes (another jffi, another mptcp4j) cannot shadow the
 * agent's, and the agent's cannot shadow the application's. Only this class, {@link Agent} and
 * {@link LazyAgent} are visible at the jar's root.
 */
final class AgentClassLoader extends ClassLoader {
    static final String PREFIX = "mptcp4j-agent/";

    static {
        registerAsParallelCapable();
    }

    private final ZipFile jar; // a ZipFile: JarFile's entries and streams add manifest and multi-release checks per class
    private final String base;
    private final ProtectionDomain domain;

    private AgentClassLoader(Path jarPath) throws IOException {
        super("mptcp4j-agent", ClassLoader.getPlatformClassLoader());
        this.jar = new ZipFile(jarPath.toFile());
        URL url = jarPath.toUri().toURL();
        this.base = "jar:" + url + "!/" + PREFIX;
        this.domain = new ProtectionDomain(new CodeSource(url, (Certificate[]) null), null, this, null);
    }

    /**
     * The loader of the agent jar at {@code jarPath} when it holds class {@code name} under the prefix (the
     * released jar), else null. Typed ClassLoader so that verifying {@link LazyAgent} does not load this class.
     */
    static ClassLoader of(Path jarPath, String name) throws IOException {
        if (!java.nio.file.Files.isRegularFile(jarPath)) {
            return null;
        }
        AgentClassLoader own = new AgentClassLoader(jarPath);
        if (own.holds(name)) {
            return own;
        }
        own.jar.close();
        return null;
    }

    /** {@link LazyAgent} is the one the JVM started (the installer hands its transformer back to it); every other class is the agent's own. */
    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        return name.equals(LAZY_AGENT) ? LazyAgent.class : super.loadClass(name, resolve);
    }

    private static final String LAZY_AGENT = LazyAgent.class.getName();

    /** Whether the jar holds class {@code name} under the prefix. */
    private boolean holds(String name) {
        return jar.getEntry(PREFIX + name.replace('.', '/') + ".class") != null;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        ZipEntry entry = jar.getEntry(PREFIX + name.replace('.', '/') + ".class");
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        byte[] bytes;
        try (InputStream in = jar.getInputStream(entry)) {
            bytes = readFully(in, entry.getSize());
        } catch (IOException e) {
            throw new ClassNotFoundException(name + ": " + e, e);
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0 && getDefinedPackage(name.substring(0, dot)) == null) {
            try {
                definePackage(name.substring(0, dot), null, null, null, null, null, null, null);
            } catch (IllegalArgumentException racedByAnotherThread) {
                // defined meanwhile
            }
        }
        return defineClass(name, bytes, 0, bytes.length, domain);
    }

    /** The entry's bytes in one array of its size (the directory gives it): readAllBytes reads in chunks and copies. */
    private static byte[] readFully(InputStream in, long size) throws IOException {
        if (size < 0 || size > Integer.MAX_VALUE - 8) {
            return in.readAllBytes();
        }
        byte[] b = new byte[(int) size];
        int n = in.readNBytes(b, 0, b.length);
        if (n != b.length) {
            throw new IOException("entry ends after " + n + " of its " + size + " bytes");
        }
        return b;
    }

    @Override
    protected URL findResource(String name) {
        if (jar.getEntry(PREFIX + name) == null) {
            return null;
        }
        try {
            return URI.create(base + name).toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singletonList(url));
    }

    @Override
    public InputStream getResourceAsStream(String name) {
        ZipEntry entry = jar.getEntry(PREFIX + name);
        if (entry == null) {
            return super.getResourceAsStream(name);
        }
        try {
            return jar.getInputStream(entry);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
