/*
 * The libc calls mptcp4j makes, as JNI functions of org.mptcp4j.internal.sys.Jni: one per call, the
 * result as libc returns it, errno kept per thread for Jni.errno() when the result says failure. No
 * policy here; the Java side (NativeSockets) names the call and turns errno into an exception. A few JNI
 * calls besides: the int inside a java.io.FileDescriptor (FileDescriptors), and for the agent DefineClass in
 * the boot loader, for its hook class (BootClasses), and the JDK's own module updates, for the reads and
 * opens it needs (ModuleAccess).
 * Built by the provider's build (gcc, Linux x86_64) and loaded instead of jffi where it loads.
 */
#include <jni.h>
#include <jvmti.h> /* Agent_OnLoad's prototype */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "org_mptcp4j_internal_sys_Jni.h"

/* the errno of this thread's last failed call; read right after it, before anything else can fail */
static __thread int last_errno;

#define SAVED(r) ((r) < 0 ? (last_errno = errno, (r)) : (r))
#define PTR(a) ((void *) (intptr_t) (a))

JNIEXPORT jint JNICALL Java_org_mptcp4j_internal_sys_Jni_abi(JNIEnv *env, jclass c) {
    (void) env; (void) c;
    return 4; /* Jni.ABI: bumped when a signature changes */
}

/* NULL with the JVM's exception pending (ClassFormatError, LinkageError, OutOfMemoryError) on failure */
JNIEXPORT jclass JNICALL Java_org_mptcp4j_internal_sys_Jni_defineBootClass(JNIEnv *env, jclass c, jstring name, jbyteArray bytes) {
    (void) c;
    const char *n = (*env)->GetStringUTFChars(env, name, NULL);
    if (n == NULL) {
        return NULL;
    }
    jbyte *b = (*env)->GetByteArrayElements(env, bytes, NULL);
    if (b == NULL) {
        (*env)->ReleaseStringUTFChars(env, name, n);
        return NULL;
    }
    jclass k = (*env)->DefineClass(env, n, NULL, b, (*env)->GetArrayLength(env, bytes)); /* NULL loader: the boot loader */
    (*env)->ReleaseByteArrayElements(env, bytes, b, JNI_ABORT); /* read only */
    (*env)->ReleaseStringUTFChars(env, name, n);
    return k;
}

/* FileDescriptor.fd, read through JNI, which is not access-checked; -1 with NoSuchFieldError pending on a JDK without it */
JNIEXPORT jint JNICALL Java_org_mptcp4j_internal_sys_Jni_fdOf(JNIEnv *env, jclass c, jobject descriptor) {
    (void) c;
    static jfieldID field; /* a boot class's field: its id never changes; two threads racing store the same id */
    if (field == NULL) {
        jclass k = (*env)->FindClass(env, "java/io/FileDescriptor");
        if (k == NULL) {
            return -1;
        }
        jfieldID f = (*env)->GetFieldID(env, k, "fd", "I");
        (*env)->DeleteLocalRef(env, k);
        if (f == NULL) {
            return -1;
        }
        field = f;
    }
    return (*env)->GetIntField(env, descriptor, field);
}

/*
 * jdk.internal.module.Modules's static method: what Instrumentation.redefineModule calls for each read and open,
 * without its argument checks' lambdas. JNI calls are not access-checked, so the class need not be exported. NULL
 * with the JVM's exception pending (NoSuchMethodError on a JDK without it); *modules is then NULL or to delete.
 */
static jmethodID modules_method(JNIEnv *env, jclass *modules, const char *name, const char *signature) {
    *modules = (*env)->FindClass(env, "jdk/internal/module/Modules");
    return *modules == NULL ? NULL : (*env)->GetStaticMethodID(env, *modules, name, signature);
}

JNIEXPORT void JNICALL Java_org_mptcp4j_internal_sys_Jni_addReads(JNIEnv *env, jclass c, jobject from, jobject to) {
    (void) c;
    jclass modules;
    jmethodID m = modules_method(env, &modules, "addReads", "(Ljava/lang/Module;Ljava/lang/Module;)V");
    if (m != NULL) {
        (*env)->CallStaticVoidMethod(env, modules, m, from, to);
    }
    if (modules != NULL) {
        (*env)->DeleteLocalRef(env, modules);
    }
}

JNIEXPORT void JNICALL Java_org_mptcp4j_internal_sys_Jni_addOpens(JNIEnv *env, jclass c, jobject module, jstring pkg, jobject to) {
    (void) c;
    jclass modules;
    jmethodID m = modules_method(env, &modules, "addOpens", "(Ljava/lang/Module;Ljava/lang/String;Ljava/lang/Module;)V");
    if (m != NULL) {
        (*env)->CallStaticVoidMethod(env, modules, m, module, pkg, to);
    }
    if (modules != NULL) {
        (*env)->DeleteLocalRef(env, modules);
    }
}

JNIEXPORT jint JNICALL Java_org_mptcp4j_internal_sys_Jni_errno(JNIEnv *env, jclass c) {
    (void) env; (void) c;
    return last_errno;
}

JNIEXPORT jint JNICALL Java_org_mptcp4j_internal_sys_Jni_socket(JNIEnv *env, jclass c, jint domain, jint type, jint protocol) {
    (void) env; (void) c;
    int r = socket(domain, type, protocol);
    return SAVED(r);
}

JNIEXPORT jint JNICALL Java_org_mptcp4j_internal_sys_Jni_dup3(JNIEnv *env, jclass c, jint oldFd, jint newFd, jint flags) {
    (void) env; (void) c;
    int r = dup3(oldFd, newFd, flags);
    return SAVED(r);
}

JNIEXPORT jint JNICALL Java_org_mptcp4j_internal_sys_Jni_close(JNIEnv *env, jclass c, jint fd) {
    (void) env; (void) c;
    int r = close(fd);
    return SAVED(r);
}

JNIEXPORT jint JNICALL Java_org_mptcp4j_internal_sys_Jni_fcntl(JNIEnv *env, jclass c, jint fd, jint cmd, jint arg) {
    (void) env; (void) c;
    int r = fcntl(fd, cmd, arg);
    return SAVED(r);
}

JNIEXPORT jint JNICALL Java_org_mptcp4j_internal_sys_Jni_getsockopt(JNIEnv *env, jclass c, jint fd, jint level, jint name,
        jlong value, jlong length) {
    (void) env; (void) c;
    int r = getsockopt(fd, level, name, PTR(value), (socklen_t *) PTR(length));
    return SAVED(r);
}

JNIEXPORT jint JNICALL Java_org_mptcp4j_internal_sys_Jni_setsockopt(JNIEnv *env, jclass c, jint fd, jint level, jint name,
        jlong value, jint length) {
    (void) env; (void) c;
    int r = setsockopt(fd, level, name, PTR(value), (socklen_t) length);
    return SAVED(r);
}

JNIEXPORT jlong JNICALL Java_org_mptcp4j_internal_sys_Jni_getIntOption(JNIEnv *env, jclass c, jint fd, jint level, jint name) {
    (void) env; (void) c;
    int value = 0;
    socklen_t length = sizeof value;
    if (getsockopt(fd, level, name, &value, &length) < 0) {
        last_errno = errno;
        return -1;
    }
    return (jlong) (uint32_t) value;
}

JNIEXPORT jint JNICALL Java_org_mptcp4j_internal_sys_Jni_setIntOption(JNIEnv *env, jclass c, jint fd, jint level, jint name, jint value) {
    (void) env; (void) c;
    int v = value;
    int r = setsockopt(fd, level, name, &v, sizeof v);
    return SAVED(r);
}

JNIEXPORT jint JNICALL Java_org_mptcp4j_internal_sys_Jni_bind(JNIEnv *env, jclass c, jint fd, jlong address, jint length) {
    (void) env; (void) c;
    int r = bind(fd, PTR(address), (socklen_t) length);
    return SAVED(r);
}

JNIEXPORT jint JNICALL Java_org_mptcp4j_internal_sys_Jni_getsockname(JNIEnv *env, jclass c, jint fd, jlong address, jlong length) {
    (void) env; (void) c;
    int r = getsockname(fd, PTR(address), (socklen_t *) PTR(length));
    return SAVED(r);
}

JNIEXPORT jint JNICALL Java_org_mptcp4j_internal_sys_Jni_getpeername(JNIEnv *env, jclass c, jint fd, jlong address, jlong length) {
    (void) env; (void) c;
    int r = getpeername(fd, PTR(address), (socklen_t *) PTR(length));
    return SAVED(r);
}

JNIEXPORT jint JNICALL Java_org_mptcp4j_internal_sys_Jni_epollCtl(JNIEnv *env, jclass c, jint epfd, jint op, jint fd, jlong event) {
    (void) env; (void) c;
    int r = epoll_ctl(epfd, op, fd, PTR(event));
    return SAVED(r);
}

JNIEXPORT jlong JNICALL Java_org_mptcp4j_internal_sys_Jni_send(JNIEnv *env, jclass c, jint fd, jlong buf, jlong length, jint flags) {
    (void) env; (void) c;
    ssize_t r = send(fd, PTR(buf), (size_t) length, flags);
    return SAVED(r);
}

JNIEXPORT jlong JNICALL Java_org_mptcp4j_internal_sys_Jni_recv(JNIEnv *env, jclass c, jint fd, jlong buf, jlong length, jint flags) {
    (void) env; (void) c;
    ssize_t r = recv(fd, PTR(buf), (size_t) length, flags);
    return SAVED(r);
}

/* memory for one call's structures (NativeMemory): zeroed blocks, plain loads and stores, copies to and from Java arrays */

JNIEXPORT jlong JNICALL Java_org_mptcp4j_internal_sys_Jni_calloc(JNIEnv *env, jclass c, jlong size) {
    (void) env; (void) c;
    return (jlong) (intptr_t) calloc(1, (size_t) size);
}

JNIEXPORT void JNICALL Java_org_mptcp4j_internal_sys_Jni_free(JNIEnv *env, jclass c, jlong address) {
    (void) env; (void) c;
    free(PTR(address));
}

JNIEXPORT jint JNICALL Java_org_mptcp4j_internal_sys_Jni_getInt(JNIEnv *env, jclass c, jlong address) {
    (void) env; (void) c;
    int32_t v;
    memcpy(&v, PTR(address), sizeof v);
    return v;
}

JNIEXPORT void JNICALL Java_org_mptcp4j_internal_sys_Jni_putInt(JNIEnv *env, jclass c, jlong address, jint value) {
    (void) env; (void) c;
    int32_t v = value;
    memcpy(PTR(address), &v, sizeof v);
}

JNIEXPORT void JNICALL Java_org_mptcp4j_internal_sys_Jni_putByte(JNIEnv *env, jclass c, jlong address, jbyte value) {
    (void) env; (void) c;
    *(jbyte *) PTR(address) = value;
}

JNIEXPORT void JNICALL Java_org_mptcp4j_internal_sys_Jni_putLong(JNIEnv *env, jclass c, jlong address, jlong value) {
    (void) env; (void) c;
    int64_t v = value;
    memcpy(PTR(address), &v, sizeof v);
}

JNIEXPORT void JNICALL Java_org_mptcp4j_internal_sys_Jni_putBytes(JNIEnv *env, jclass c, jlong address, jbyteArray bytes) {
    (void) c;
    (*env)->GetByteArrayRegion(env, bytes, 0, (*env)->GetArrayLength(env, bytes), (jbyte *) PTR(address));
}

JNIEXPORT void JNICALL Java_org_mptcp4j_internal_sys_Jni_getBytes(JNIEnv *env, jclass c, jlong address, jbyteArray into, jint length) {
    (void) c;
    (*env)->SetByteArrayRegion(env, into, 0, length, (const jbyte *) PTR(address));
}

/*
 * Every native method above, bound when the library loads: a native method bound by name at its first call is
 * checked for native access on JDK 24+ (a warning on stderr without --enable-native-access), one bound here is
 * not. JniTableUnitTest compares this table with Jni's native methods.
 */
#define NATIVE(name, signature) { #name, signature, (void *) Java_org_mptcp4j_internal_sys_Jni_##name }
static const JNINativeMethod JNI_METHODS[] = {
    NATIVE(abi, "()I"),
    NATIVE(errno, "()I"),
    NATIVE(defineBootClass, "(Ljava/lang/String;[B)Ljava/lang/Class;"),
    NATIVE(fdOf, "(Ljava/io/FileDescriptor;)I"),
    NATIVE(addReads, "(Ljava/lang/Module;Ljava/lang/Module;)V"),
    NATIVE(addOpens, "(Ljava/lang/Module;Ljava/lang/String;Ljava/lang/Module;)V"),
    NATIVE(socket, "(III)I"),
    NATIVE(dup3, "(III)I"),
    NATIVE(close, "(I)I"),
    NATIVE(fcntl, "(III)I"),
    NATIVE(getsockopt, "(IIIJJ)I"),
    NATIVE(setsockopt, "(IIIJI)I"),
    NATIVE(getIntOption, "(III)J"),
    NATIVE(setIntOption, "(IIII)I"),
    NATIVE(bind, "(IJI)I"),
    NATIVE(getsockname, "(IJJ)I"),
    NATIVE(getpeername, "(IJJ)I"),
    NATIVE(epollCtl, "(IIIJ)I"),
    NATIVE(send, "(IJJI)J"),
    NATIVE(recv, "(IJJI)J"),
    NATIVE(calloc, "(J)J"),
    NATIVE(free, "(J)V"),
    NATIVE(getInt, "(J)I"),
    NATIVE(putInt, "(JI)V"),
    NATIVE(putByte, "(JB)V"),
    NATIVE(putLong, "(JJ)V"),
    NATIVE(putBytes, "(J[B)V"),
    NATIVE(getBytes, "(J[BI)V"),
};

/*
 * The JVM runs this as the library loads, with FindClass looking in the loader of the class that loaded it. A copy of
 * Jni under another name (relocated) is not found: its methods are then bound by name at their first call, as before.
 */
JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void) reserved;
    JNIEnv *env;
    if ((*vm)->GetEnv(vm, (void **) &env, JNI_VERSION_1_8) != JNI_OK) {
        return JNI_VERSION_1_8;
    }
    jclass k = (*env)->FindClass(env, "org/mptcp4j/internal/sys/Jni");
    if (k == NULL) {
        (*env)->ExceptionClear(env);
        return JNI_VERSION_1_8;
    }
    for (size_t i = 0; i < sizeof JNI_METHODS / sizeof JNI_METHODS[0]; i++) {
        if ((*env)->RegisterNatives(env, k, &JNI_METHODS[i], 1) != 0) {
            (*env)->ExceptionClear(env); /* that one is bound by name at its first call */
        }
    }
    (*env)->DeleteLocalRef(env, k);
    return JNI_VERSION_1_8;
}

/*
 * Loaded as a JVMTI agent library too (-agentpath, as bin/mptcp4j run gives it): it asks nothing of JVMTI. The
 * JVM then finds Jni's natives here by name when the class's loader has no library holding them, without the native
 * access check, and without any Java code loading the library.
 */
JNIEXPORT jint JNICALL Agent_OnLoad(JavaVM *vm, char *options, void *reserved) {
    (void) vm; (void) options; (void) reserved;
    return JNI_OK;
}
