package org.mptcp4j.internal.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The per-user directory is trusted only when it is a directory of this user that no one else can enter or write;
 * each rule holds both ways the directory is looked at: one lstat through the JNI library, the JDK's attribute views.
 */
class UserCacheUnitTest {
    @TempDir
    Path tmp;

    private Path privateDir() throws Exception {
        return tmp.resolve("mptcp4j-" + Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    private Path withMode(String mode) throws Exception {
        Path dir = Files.createDirectory(privateDir());
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
        return dir;
    }

    /** directory(natively) the way asked: natively needs the JNI library (this machine's build has it). */
    private Path directory(boolean natively) {
        if (natively) {
            assumeTrue(Jni.loaded(), "mptcp4j's JNI library");
        }
        return UserCache.directory(tmp, natively);
    }

    @ParameterizedTest(name = "natively={0}")
    @ValueSource(booleans = {true, false})
    void createsTheDirectoryOwnerOnlyWhenMissing(boolean natively) throws Exception {
        assertEquals(privateDir(), directory(natively));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(privateDir())));
    }

    @ParameterizedTest(name = "natively={0}")
    @ValueSource(booleans = {true, false})
    void trustsAnExistingOwnerOnlyDirectory(boolean natively) throws Exception {
        assertEquals(withMode("rwx------"), directory(natively));
    }

    @ParameterizedTest(name = "natively={0}")
    @ValueSource(booleans = {true, false})
    void distrustsADirectoryOthersCanEnter(boolean natively) throws Exception {
        withMode("rwxr-x---");
        assertNull(directory(natively));
    }

    @ParameterizedTest(name = "natively={0}")
    @ValueSource(booleans = {true, false})
    void distrustsADirectoryItsOwnerCannotWrite(boolean natively) throws Exception {
        withMode("r-x------");
        assertNull(directory(natively));
    }

    @ParameterizedTest(name = "natively={0}")
    @ValueSource(booleans = {true, false})
    void distrustsAFileInItsPlace(boolean natively) throws Exception {
        Files.createFile(privateDir(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        assertNull(directory(natively));
    }

    @ParameterizedTest(name = "natively={0}")
    @ValueSource(booleans = {true, false})
    void distrustsADirectoryOfAnotherUser(boolean natively) throws Exception {
        assumeTrue(Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0), "changing a directory's owner needs root");
        Path dir = withMode("rwx------");
        Files.setAttribute(dir, "unix:uid", 65534);
        assertNull(directory(natively));
    }

    @ParameterizedTest(name = "natively={0}")
    @ValueSource(booleans = {true, false})
    void distrustsALinkToAnOwnerOnlyDirectory(boolean natively) throws Exception {
        Path target = Files.createDirectory(tmp.resolve("elsewhere"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
        Files.createSymbolicLink(privateDir(), target);
        assertNull(directory(natively));
    }

    @Test
    void aLoadedLibraryCountsAsBoundSoTheCheckIsNative() {
        assumeTrue(Jni.loaded(), "mptcp4j's JNI library");
        assertTrue(Jni.bound());
    }
}
