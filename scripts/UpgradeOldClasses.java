import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * {@code java scripts/UpgradeOldClasses.java JAR PREFIX...}: rewrites, in place, the classes of JAR under the given
 * prefixes whose class files are older than Java 6 (picocli's are Java 5's) as Java 8 class files, their code the same
 * with the stack maps the split verifier reads. Why: an AOT cache (JDK 25, the launcher's) cannot hold classes that old
 * (they are linked only at run time, by the old verifier), so every start loaded and verified picocli's 200-odd classes
 * from the jar. Needs JDK 24 or later (java.lang.classfile); scripts/upgrade-old-classes.sh skips it on older ones.
 */
public final class UpgradeOldClasses {
    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path out = jar.resolveSibling(jar.getFileName() + ".upgrading");
        int n = 0;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
             ZipFile in = new ZipFile(jar.toFile());
             ZipOutputStream zo = new ZipOutputStream(Files.newOutputStream(out))) {
            // stack maps merge types: the hierarchy of the jar's own classes comes from the jar
            ClassFile cf = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
                    ClassHierarchyResolver.defaultResolver().orElse(ClassHierarchyResolver.ofResourceParsing(loader))));
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                byte[] bytes = in.getInputStream(entry).readAllBytes();
                if (entry.getName().endsWith(".class") && wanted(entry.getName(), args)) {
                    ClassModel cm = cf.parse(bytes);
                    if (cm.majorVersion() < ClassFile.JAVA_6_VERSION) {
                        bytes = cf.transformClass(cm, ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                                .andThen((cb, el) -> {
                                    if (!(el instanceof ClassFileVersion)) cb.with(el);
                                })
                                .andThen(ClassTransform.endHandler(cb -> cb.withVersion(ClassFile.JAVA_8_VERSION, 0))));
                        n++;
                    }
                }
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                zo.putNextEntry(copy);
                zo.write(bytes);
                zo.closeEntry();
            }
        }
        Files.move(out, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("upgrade-old-classes: " + n + " class files of " + jar.getFileName() + " now Java 8's");
    }

    private static boolean wanted(String name, String[] args) {
        for (int i = 1; i < args.length; i++) if (name.startsWith(args[i])) return true;
        return false;
    }
}
