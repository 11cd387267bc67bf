package io.opsmcp.app;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipFile;

/**
 * A {@link URLClassLoader} over the extracted jars that opens a jar only when an {@link Index} built from the jars'
 * entry names says it may hold the class or resource asked for. The plain {@code URLClassLoader} opens the jars in
 * order until one holds the name, so a lookup of something absent ({@code ServiceLoader}'s {@code getResources} of
 * {@code META-INF/services/...}, a library's probe for an optional class) opened all ~200 jars and kept their
 * central directories (~9 MiB of heap) for the process's life, although a hosts-only start uses a third of them.
 *
 * <p>Answers are the plain loader's, in the same class path order: the index only leaves out jars that cannot hold
 * the name (no entry under its directory), and each remaining jar is asked with the same {@link JarFile} calls
 * (verified, multi-release at the running version): the first jar that holds a class defines it, with that jar's
 * URL, signers and manifest; resource URLs are the same {@code jar:file:...!/name} URLs. {@code Class-Path} manifest
 * attributes are not followed (no jar of ops-mcp has one; Spring Boot's nested loader ignores them too).
 */
final class IndexedClassLoader extends URLClassLoader {

    static {
        registerAsParallelCapable();
    }

    private static final int[] NONE = {};

    /**
     * Which jars (class path positions) may hold a name: {@code keys} maps a name's {@link #key} (or a directory
     * entry's {@link #directoryKey}) to the ascending positions of the jars with an entry of that key,
     * {@code everywhere} lists jars with a name that could not be indexed (asked for every name).
     */
    record Index(Map<String, int[]> keys, int[] everywhere) {

        private static final String META_INF = "META-INF/";
        private static final String VERSIONS = "META-INF/versions/";

        /**
         * The index key of an entry or lookup name: the name itself (without one trailing {@code /}) at the root and
         * under {@code META-INF/}, where most jars have entries but few the same ones; elsewhere its directory with
         * the {@code /}, as packages are rarely split across jars. A name and a key never collide: exact keys do not
         * end with {@code /}, directory keys do.
         */
        static String key(String name) {
            String n = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
            int slash = n.lastIndexOf('/');
            return slash < 0 || n.startsWith(META_INF) ? n : n.substring(0, slash + 1);
        }

        /**
         * The key of a directory entry ({@code a/b/}): its exact name without the {@code /}, marked with a leading
         * NUL (which no indexed name holds), as only a lookup of that directory ({@code a/b} or {@code a/b/}) finds
         * it. Kept apart from the directory keys of files: a relocating shade plugin leaves empty directories (an
         * empty {@code com/fasterxml/jackson/core/internal/}) that would otherwise send every lookup in that package
         * to its 19 MB jar.
         */
        static String directoryKey(String name) {
            return "\0" + (name.endsWith("/") ? name.substring(0, name.length() - 1) : name);
        }

        /**
         * The keys under which an entry can be found: its own, and for a multi-release entry
         * ({@code META-INF/versions/N/name}) also that of the name it stands in for (JDK 17 finds versioned
         * directories too). Null when the name cannot be indexed (it holds a line break or NUL).
         */
        static List<String> keysOf(String entry) {
            if (entry.indexOf('\n') >= 0 || entry.indexOf('\r') >= 0 || entry.indexOf('\0') >= 0) {
                return null;
            }
            boolean directory = entry.endsWith("/");
            String own = directory ? directoryKey(entry) : key(entry);
            if (entry.startsWith(VERSIONS)) {
                int slash = entry.indexOf('/', VERSIONS.length());
                if (slash > 0 && slash + 1 < entry.length()) {
                    String rest = entry.substring(slash + 1);
                    return List.of(own, directory ? directoryKey(rest) : key(rest));
                }
            }
            return List.of(own);
        }

        /** The positions of the jars that may hold {@code name}, ascending. */
        int[] candidates(String name) {
            int[] files = keys.getOrDefault(key(name), NONE);
            int[] directories = keys.getOrDefault(directoryKey(name), NONE);
            if (directories.length == 0 && everywhere.length == 0) {
                return files;
            }
            int[] all = Arrays.copyOf(files, files.length + directories.length + everywhere.length);
            System.arraycopy(directories, 0, all, files.length, directories.length);
            System.arraycopy(everywhere, 0, all, files.length + directories.length, everywhere.length);
            return Arrays.stream(all).distinct().sorted().toArray();
        }
    }

    private final Path[] jars;
    private final URL[] locations;
    private final Index index;
    /** Opened on first use, each under its own lock; kept open like the plain loader's. */
    private final JarFile[] open;

    private final Object[] locks;

    IndexedClassLoader(String name, List<Path> jars, Index index, ClassLoader parent) throws MalformedURLException {
        this(name, jars.toArray(Path[]::new), urls(jars), index, parent);
    }

    private IndexedClassLoader(String name, Path[] jars, URL[] locations, Index index, ClassLoader parent) {
        super(name, locations, parent);
        this.jars = jars;
        this.locations = locations;
        this.index = index;
        this.open = new JarFile[jars.length];
        this.locks = new Object[jars.length];
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    private static URL[] urls(List<Path> jars) throws MalformedURLException {
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = jars.get(i).toUri().toURL();
        }
        return urls;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        String path = name.replace('.', '/').concat(".class");
        for (int i : index.candidates(path)) {
            try {
                JarFile jar = jar(i);
                JarEntry entry = jar.getJarEntry(path);
                if (entry != null) {
                    return define(name, i, jar, entry);
                }
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
        throw new ClassNotFoundException(name);
    }

    @Override
    public URL findResource(String name) {
        for (int i : index.candidates(name)) {
            URL url = resource(i, name);
            if (url != null) {
                return url;
            }
        }
        return null;
    }

    @Override
    public Enumeration<URL> findResources(String name) {
        List<URL> found = new ArrayList<>();
        for (int i : index.candidates(name)) {
            URL url = resource(i, name);
            if (url != null) {
                found.add(url);
            }
        }
        return Collections.enumeration(found);
    }

    /** The jars opened so far, in class path order (what the loader keeps in memory: each one's central directory). */
    List<Path> openJars() {
        List<Path> opened = new ArrayList<>();
        for (int i = 0; i < open.length; i++) {
            synchronized (locks[i]) {
                if (open[i] != null) {
                    opened.add(jars[i]);
                }
            }
        }
        return opened;
    }

    @Override
    public void close() throws IOException {
        IOException failed = null;
        for (int i = 0; i < open.length; i++) {
            synchronized (locks[i]) {
                if (open[i] != null) {
                    try {
                        open[i].close();
                    } catch (IOException e) {
                        failed = e;
                    }
                    open[i] = null;
                }
            }
        }
        super.close();
        if (failed != null) {
            throw failed;
        }
    }

    /** The plain loader's resource URL ({@code jar:file:/…!/name}, the versioned entry's real name), or null. */
    private URL resource(int i, String name) {
        try {
            JarFile jar = jar(i);
            JarEntry entry = jar.getJarEntry(name);
            if (entry == null) {
                return null;
            }
            String real = jar.isMultiRelease() ? entry.getRealName() : name;
            return new URL("jar:" + locations[i] + "!/" + encodePath(real));
        } catch (IOException e) {
            return null; // as the plain loader: a jar that cannot be read holds nothing
        }
    }

    private JarFile jar(int i) throws IOException {
        synchronized (locks[i]) {
            if (open[i] == null) {
                open[i] = new JarFile(jars[i].toFile(), true, ZipFile.OPEN_READ, Runtime.version());
            }
            return open[i];
        }
    }

    /** As {@code URLClassLoader.defineClass}: the package from the jar's manifest (sealing checked), then the class. */
    private Class<?> define(String name, int i, JarFile jar, JarEntry entry) throws IOException {
        URL url = locations[i];
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            definePackageOnce(name.substring(0, dot), jar.getManifest(), url);
        }
        byte[] bytes;
        try (InputStream in = jar.getInputStream(entry)) {
            bytes = in.readAllBytes();
        }
        CodeSigner[] signers = entry.getCodeSigners(); // known once the entry has been read in full
        return defineClass(name, bytes, 0, bytes.length, new CodeSource(url, signers));
    }

    private void definePackageOnce(String pkg, Manifest manifest, URL url) {
        Package p = getDefinedPackage(pkg);
        if (p == null) {
            try {
                if (manifest != null) {
                    definePackage(pkg, manifest, url);
                } else {
                    definePackage(pkg, null, null, null, null, null, null, null);
                }
                return;
            } catch (IllegalArgumentException raced) {
                p = getDefinedPackage(pkg); // another thread defined it first: check it as one defined before
            }
        }
        if (p.isSealed()) {
            if (!p.isSealed(url)) {
                throw new SecurityException("sealing violation: package " + pkg + " is sealed");
            }
        } else if (manifest != null && sealed(pkg, manifest)) {
            throw new SecurityException("sealing violation: can't seal package " + pkg + ": already loaded");
        }
    }

    private static boolean sealed(String pkg, Manifest manifest) {
        Attributes own = manifest.getAttributes(pkg.replace('.', '/').concat("/"));
        String value = own == null ? null : own.getValue(Attributes.Name.SEALED);
        if (value == null) {
            value = manifest.getMainAttributes().getValue(Attributes.Name.SEALED);
        }
        return "true".equalsIgnoreCase(value);
    }

    /**
     * A path for a URL, as the JDK's {@code ParseUtil.encodePath}: letters, digits and {@code /.-_!~*'()$&+,;=:@}
     * as they are, every other character as {@code %xx} (lower case) of its UTF-8 bytes.
     */
    static String encodePath(String path) {
        StringBuilder out = null;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "/.-_!~*'()$&+,;=:@".indexOf(c) >= 0)) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(path.length() + 16).append(path, 0, i);
            }
            int end = Character.isHighSurrogate(c) && i + 1 < path.length() ? i + 2 : i + 1;
            for (byte b : path.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                out.append('%').append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            i = end - 1;
        }
        return out == null ? path : out.toString();
    }
}
