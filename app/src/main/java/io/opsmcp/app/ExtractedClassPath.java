package io.opsmcp.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The fat jar's class path as plain jars in a private per-user cache, so that {@code java -jar ops-mcp.jar} loads
 * its ~6,000 start classes from plain jars instead of through Spring Boot's nested-jar loader (measured ~35 %
 * faster to the {@code initialize} answer on the same classes). Only JDK classes are used here: it runs before
 * anything else is loaded, inside the class loader Spring Boot's {@code JarLauncher} made.
 *
 * <p>Layout, under {@code $XDG_CACHE_HOME/ops-mcp} (else {@code ~/.cache/ops-mcp}):
 *
 * <ul>
 *   <li>{@code jars/NAME-CRC32-SIZE.jar}: each nested jar, named by its CRC-32 and size in the fat jar (so the
 *       unchanged libraries of a rebuilt jar are shared, not copied again); its content's CRC-32 is checked against
 *       the fat jar's entry while it is written;
 *   <li>{@code classpaths/SHA256.txt}: the class path of one fat jar, one {@code NAME SIZE} line per jar in
 *       Spring Boot's order, keyed by the SHA-256 of the fat jar's central directory (which holds every entry's
 *       name, size and CRC-32: a different jar has a different key); then an empty line and the
 *       {@link IndexedClassLoader.Index} of the jars' entry names, one {@code POSITION,POSITION... KEY} line per key
 *       (a line of positions alone: jars with a name that cannot be written on a line, asked for every name).
 *       Written last, so a crashed extraction leaves no class path.
 * </ul>
 *
 * <p>The classes are loaded by an {@link IndexedClassLoader}, which opens only the jars the index says may hold a
 * name (a plain {@code URLClassLoader} opened every jar at the first {@code ServiceLoader} lookup).
 *
 * <p>Trust: classes from this directory run as the user, so another local user must not be able to put any there.
 * Every directory (the cache root, {@code jars/}, {@code classpaths/}) must be a real directory (no symbolic link),
 * owned by the user and writable by nobody else, and every file a regular file owned by the user with the size
 * the class path names; the directories are created {@code 0700}, files written under a temporary name and moved
 * into place. Anything else and the cache is not used ({@link UnsafeCache}): the jar runs from its nested jars as
 * before, with one line on stderr saying why. {@code -Dops-mcp.class-cache=off} turns the cache off;
 * {@code -Dops-mcp.class-cache=DIR} puts it elsewhere.
 */
final class ExtractedClassPath {

    /** Spring Boot's class loader for the nested jars of an executable jar. */
    static final String NESTED_LOADER = "org.springframework.boot.loader.launch.LaunchedClassLoader";

    static final String CACHE_PROPERTY = "ops-mcp.class-cache";

    private static final String LIB = "BOOT-INF/lib/";
    private static final String CLASSES = "BOOT-INF/classes/";
    private static final Set<PosixFilePermission> OTHERS_WRITE =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private ExtractedClassPath() {}

    /** The cache is not safe to load classes from; the message names the path and the rule it breaks. */
    static final class UnsafeCache extends IOException {
        UnsafeCache(Path path, String rule) {
            super(path + ": " + rule);
        }
    }

    /**
     * Runs {@code mainClass} from the extracted class path when {@code current} is Spring Boot's nested-jar loader
     * of a plain {@code java -jar ops-mcp.jar} (not {@code PropertiesLauncher} with {@code -Dloader.path}, whose
     * extra class path the cache does not hold). Returns false, having run nothing, when it does not apply or the
     * cache cannot be used; the caller then runs in place.
     */
    static boolean runExtracted(ClassLoader current, String mainClass, String[] args) throws Throwable {
        String setting = System.getProperty(CACHE_PROPERTY, "");
        if (setting.equals("off")
                || current == null
                || !current.getClass().getName().equals(NESTED_LOADER)
                || System.getProperty("loader.path") != null) {
            return false;
        }
        Optional<Path> fatJar = fatJar();
        Optional<Path> root = setting.isEmpty() ? defaultRoot() : Optional.of(Path.of(setting));
        if (fatJar.isEmpty() || root.isEmpty()) {
            return false;
        }
        ClassPath classPath;
        try {
            classPath = prepare(fatJar.get(), root.get());
        } catch (IOException | RuntimeException e) {
            System.err.println("ops-mcp: running from the nested jars (slower start); class cache not used: " + e);
            return false;
        }
        // Platform parent, as for `java -cp`: nothing of the fat jar's own loader is visible from the new one.
        ClassLoader loader = new IndexedClassLoader(
                "ops-mcp", classPath.jars(), classPath.index(), ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        try {
            Class.forName(mainClass, true, loader)
                    .getMethod("main", String[].class)
                    .invoke(null, (Object) args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
        return true;
    }

    /** The jar {@code java -jar} runs: the class path when it is one existing {@code .jar} file. */
    private static Optional<Path> fatJar() {
        String cp = System.getProperty("java.class.path", "");
        if (cp.isEmpty() || cp.contains(java.io.File.pathSeparator) || !cp.endsWith(".jar")) {
            return Optional.empty();
        }
        Path jar = Path.of(cp).toAbsolutePath();
        return Files.isRegularFile(jar) ? Optional.of(jar) : Optional.empty();
    }

    /** {@code $XDG_CACHE_HOME/ops-mcp} when that is an absolute path (XDG Base Directory), else ~/.cache/ops-mcp. */
    private static Optional<Path> defaultRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) {
            return Optional.of(Path.of(xdg, "ops-mcp"));
        }
        String home = System.getProperty("user.home", "");
        return home.isEmpty() || home.equals("?") ? Optional.empty() : Optional.of(Path.of(home, ".cache", "ops-mcp"));
    }

    /**
     * The extracted class path: the jars in class path order and the index of their entry names.
     *
     * @param jars the jars, the app's classes first, then the libraries in {@code classpath.idx} order
     * @param index which of {@code jars} (positions) may hold a name
     */
    record ClassPath(List<Path> jars, IndexedClassLoader.Index index) {}

    /**
     * The class path of {@code fatJar} as plain files under {@code root}, extracting what is missing.
     *
     * @throws UnsafeCache when a directory or file of the cache could have been written by another user
     * @throws IOException when the jar cannot be read or the cache written
     */
    static ClassPath prepare(Path fatJar, Path root) throws IOException {
        if (Files.getFileStore(fatJar).supportsFileAttributeView(PosixFileAttributeView.class) == false) {
            throw new IOException("no POSIX file permissions to protect a class cache with");
        }
        UserPrincipal user = fatJar.getFileSystem()
                .getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
        Path jars = root.resolve("jars");
        Path classPaths = root.resolve("classpaths");
        privateDirectory(root, user);
        privateDirectory(jars, user);
        privateDirectory(classPaths, user);
        Path list = classPaths.resolve(centralDirectoryDigest(fatJar) + ".txt");
        if (Files.exists(list, LinkOption.NOFOLLOW_LINKS)) {
            ownedFile(list, user, -1);
            List<Path> classPath = new ArrayList<>();
            IndexedClassLoader.Index index = null;
            try (BufferedReader in = Files.newBufferedReader(list, StandardCharsets.UTF_8)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.isEmpty()) {
                        try {
                            index = readIndex(in, classPath.size(), list);
                        } catch (IOException damaged) {
                            index = null; // extract again, which writes the file anew
                        }
                        break;
                    }
                    int space = line.lastIndexOf(' ');
                    Path jar = jars.resolve(line.substring(0, space));
                    if (!jar.getParent().equals(jars)) {
                        throw new UnsafeCache(list, "names a file outside " + jars);
                    }
                    if (!Files.exists(jar, LinkOption.NOFOLLOW_LINKS)) {
                        classPath = null; // pruned by hand: extract again
                        break;
                    }
                    ownedFile(jar, user, Long.parseLong(line.substring(space + 1)));
                    classPath.add(jar);
                }
            }
            if (classPath != null && !classPath.isEmpty() && index != null) {
                return new ClassPath(List.copyOf(classPath), index);
            }
        }
        return extract(fatJar, jars, list, user);
    }

    private static ClassPath extract(Path fatJar, Path jars, Path list, UserPrincipal user) throws IOException {
        List<Path> classPath = new ArrayList<>();
        StringBuilder lines = new StringBuilder();
        try (ZipFile zip = new ZipFile(fatJar.toFile())) {
            // BOOT-INF/classes first, then the libraries in classpath.idx order: Spring Boot's own order.
            Path classes = jars.resolve(
                    "ops-mcp-app-classes-" + list.getFileName().toString().substring(0, 16) + ".jar");
            if (!Files.exists(classes, LinkOption.NOFOLLOW_LINKS)) {
                writeClassesJar(zip, classes);
            }
            classPath.add(classes);
            lines.append(classes.getFileName())
                    .append(' ')
                    .append(ownedFile(classes, user, -1))
                    .append('\n');
            for (String name : libraries(zip)) {
                ZipEntry entry = zip.getEntry(name);
                if (entry == null || entry.getSize() < 0 || entry.getCrc() < 0) {
                    throw new IOException(fatJar + ": no entry " + name);
                }
                String file = name.substring(LIB.length(), name.length() - ".jar".length()) + "-"
                        + String.format("%08x", entry.getCrc()) + "-" + entry.getSize() + ".jar";
                Path jar = jars.resolve(file);
                if (!jar.getParent().equals(jars)) {
                    throw new IOException(fatJar + ": entry " + name + " names a nested directory");
                }
                if (!Files.exists(jar, LinkOption.NOFOLLOW_LINKS)) {
                    writeVerified(zip, entry, jar);
                }
                ownedFile(jar, user, entry.getSize());
                classPath.add(jar);
                lines.append(file).append(' ').append(entry.getSize()).append('\n');
            }
        }
        IndexedClassLoader.Index index = index(classPath);
        lines.append('\n');
        writeIndex(index, lines);
        Path tmp = Files.createTempFile(list.getParent(), ".", ".tmp");
        Files.writeString(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, list, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new ClassPath(List.copyOf(classPath), index);
    }

    /** The index of the entry names of {@code jars} (each opened once, here, at extraction). */
    static IndexedClassLoader.Index index(List<Path> jars) throws IOException {
        Map<String, List<Integer>> keys = new HashMap<>();
        List<Integer> everywhere = new ArrayList<>();
        for (int i = 0; i < jars.size(); i++) {
            try (ZipFile zip = new ZipFile(jars.get(i).toFile())) {
                for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                    List<String> found =
                            IndexedClassLoader.Index.keysOf(e.nextElement().getName());
                    if (found == null) {
                        if (everywhere.isEmpty() || everywhere.get(everywhere.size() - 1) != i) {
                            everywhere.add(i);
                        }
                        continue;
                    }
                    for (String key : found) {
                        List<Integer> at = keys.computeIfAbsent(key, k -> new ArrayList<>(1));
                        if (at.isEmpty() || at.get(at.size() - 1) != i) {
                            at.add(i);
                        }
                    }
                }
            }
        }
        Map<String, int[]> index = new HashMap<>(keys.size() * 4 / 3 + 1);
        keys.forEach((key, at) ->
                index.put(key, at.stream().mapToInt(Integer::intValue).toArray()));
        return new IndexedClassLoader.Index(
                index, everywhere.stream().mapToInt(Integer::intValue).toArray());
    }

    private static void writeIndex(IndexedClassLoader.Index index, StringBuilder out) {
        if (index.everywhere().length > 0) {
            out.append(positions(index.everywhere())).append('\n');
        }
        index.keys()
                .forEach((key, at) ->
                        out.append(positions(at)).append(' ').append(key).append('\n'));
    }

    private static String positions(int[] at) {
        StringBuilder s = new StringBuilder();
        for (int i : at) {
            s.append(s.length() == 0 ? "" : ",").append(i);
        }
        return s.toString();
    }

    /** The index lines after the jars' (see the class comment); a position outside the class path is refused. */
    private static IndexedClassLoader.Index readIndex(BufferedReader in, int jars, Path list) throws IOException {
        Map<String, int[]> keys = new HashMap<>(8192);
        int[] everywhere = {};
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            int space = line.indexOf(' ');
            String[] numbers = (space < 0 ? line : line.substring(0, space)).split(",");
            int[] at = new int[numbers.length];
            try {
                for (int i = 0; i < at.length; i++) {
                    at[i] = Integer.parseInt(numbers[i]);
                    if (at[i] < 0 || at[i] >= jars || i > 0 && at[i] <= at[i - 1]) {
                        throw new NumberFormatException(numbers[i]);
                    }
                }
            } catch (NumberFormatException e) {
                throw new IOException(list + ": not an index line: " + line, e);
            }
            if (space < 0) {
                everywhere = at;
            } else {
                keys.put(line.substring(space + 1), at);
            }
        }
        return new IndexedClassLoader.Index(keys, everywhere);
    }

    /** The nested jars in {@code BOOT-INF/classpath.idx} order (lines {@code - "BOOT-INF/lib/x.jar"}), else zip order. */
    private static List<String> libraries(ZipFile zip) throws IOException {
        List<String> names = new ArrayList<>();
        ZipEntry index = zip.getEntry("BOOT-INF/classpath.idx");
        if (index != null) {
            try (BufferedReader in = new BufferedReader(
                    new java.io.InputStreamReader(zip.getInputStream(index), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    int open = line.indexOf('"');
                    int close = line.lastIndexOf('"');
                    if (open >= 0 && close > open) {
                        names.add(line.substring(open + 1, close));
                    }
                }
            }
        } else {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                if (name.startsWith(LIB) && name.endsWith(".jar")) {
                    names.add(name);
                }
            }
        }
        for (String name : names) {
            if (!name.startsWith(LIB) || !name.endsWith(".jar") || name.indexOf('/', LIB.length()) >= 0) {
                throw new IOException("classpath.idx: not a library of the jar: " + name);
            }
        }
        return names;
    }

    /** Copies {@code entry} to {@code target} through a temporary file, checking its CRC-32 against the entry's. */
    private static void writeVerified(ZipFile zip, ZipEntry entry, Path target) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), ".", ".tmp");
        try {
            CRC32 crc = new CRC32();
            try (InputStream in = zip.getInputStream(entry);
                    OutputStream out = Files.newOutputStream(tmp)) {
                byte[] buf = new byte[64 * 1024];
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    crc.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
            }
            if (crc.getValue() != entry.getCrc() || Files.size(tmp) != entry.getSize()) {
                throw new IOException(entry.getName() + ": content does not match the jar's CRC-32 and size");
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** {@code BOOT-INF/classes/} (the app module's own classes) as one jar, written through a temporary file. */
    private static void writeClassesJar(ZipFile zip, Path target) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), ".", ".tmp");
        try {
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmp))) {
                for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                    ZipEntry entry = e.nextElement();
                    String name = entry.getName();
                    if (!name.startsWith(CLASSES) || name.length() == CLASSES.length()) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(name.substring(CLASSES.length())));
                    if (!entry.isDirectory()) {
                        try (InputStream in = zip.getInputStream(entry)) {
                            in.transferTo(out);
                        }
                    }
                    out.closeEntry();
                }
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Creates {@code dir} 0700 if missing; then requires a real directory owned by {@code user}, writable only by them. */
    private static void privateDirectory(Path dir, UserPrincipal user) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            if (dir.getParent() != null) {
                Files.createDirectories(dir.getParent());
            }
            try {
                Files.createDirectory(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException raced) {
                // another ops-mcp start made it: checked below like any other
            }
        }
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isDirectory()) {
            throw new UnsafeCache(dir, "must be a directory, not a symbolic link or file");
        }
        checkOwner(dir, a, user);
    }

    /** Requires a regular file owned by {@code user}, writable only by them, of {@code size} bytes (-1: any); returns its size. */
    private static long ownedFile(Path file, UserPrincipal user, long size) throws IOException {
        PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) {
            throw new UnsafeCache(file, "must be a regular file, not a symbolic link");
        }
        checkOwner(file, a, user);
        if (size >= 0 && a.size() != size) {
            throw new UnsafeCache(file, "has " + a.size() + " bytes, the jar's entry " + size);
        }
        return a.size();
    }

    private static void checkOwner(Path path, PosixFileAttributes a, UserPrincipal user) throws UnsafeCache {
        if (!a.owner().equals(user)) {
            throw new UnsafeCache(
                    path,
                    "must be owned by " + user.getName() + ", not " + a.owner().getName());
        }
        for (PosixFilePermission p : OTHERS_WRITE) {
            if (a.permissions().contains(p)) {
                throw new UnsafeCache(
                        path,
                        "must not be writable by group or others (mode "
                                + PosixFilePermissions.toString(a.permissions()) + ")");
            }
        }
    }

    /**
     * SHA-256 (hex) of the jar's central directory (APPNOTE.TXT 4.3.12–4.3.16): every entry's name, sizes and
     * CRC-32, read without reading the 140 MB of entries. Zip64 jars are refused (an ops-mcp jar is far below 4 GB).
     */
    static String centralDirectoryDigest(Path jar) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(jar.toFile(), "r")) {
            long length = f.length();
            int tail = (int) Math.min(length, 22 + 65_535);
            byte[] end = new byte[tail];
            f.seek(length - tail);
            f.readFully(end);
            for (int i = tail - 22; i >= 0; i--) {
                if (end[i] == 0x50 && end[i + 1] == 0x4b && end[i + 2] == 0x05 && end[i + 3] == 0x06) {
                    long size = le32(end, i + 12);
                    long offset = le32(end, i + 16);
                    if (size == 0xFFFFFFFFL || offset == 0xFFFFFFFFL || offset + size > length || size > 64 << 20) {
                        throw new IOException(jar + ": unsupported zip central directory");
                    }
                    byte[] directory = new byte[(int) size];
                    f.seek(offset);
                    f.readFully(directory);
                    try {
                        return HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(directory));
                    } catch (NoSuchAlgorithmException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
            throw new IOException(jar + ": no zip end of central directory record");
        }
    }

    private static long le32(byte[] b, int i) {
        return (b[i] & 0xFFL) | (b[i + 1] & 0xFFL) << 8 | (b[i + 2] & 0xFFL) << 16 | (b[i + 3] & 0xFFL) << 24;
    }
}
