// In-place libtorch activations that DJL 0.36 does not expose (relu_, relu6_), and setenv for
// settings that native libraries read from the environment only (oneDNN's ISA cap).
//
// DJL hands a tensor to Java as the address of a heap-allocated at::Tensor. libtorch exports its
// operators as at::_ops::NAME::call(at::Tensor&), so this library needs no libtorch headers and
// does not link libtorch: it finds the libtorch_cpu.so that DJL already loaded and looks the two
// operators up by their mangled names. If either is missing (another libtorch), bind() says so and
// the Java side keeps DJL's out-of-place operators.
#include <jni.h>

#include <dlfcn.h>
#include <link.h>

#include <cstdlib>
#include <cstring>
#include <exception>

namespace {

struct Tensor;  // at::Tensor, never dereferenced here
using InPlaceUnary = Tensor& (*)(Tensor&);

InPlaceUnary relu_ = nullptr;
InPlaceUnary relu6_ = nullptr;

int remember_libtorch(struct dl_phdr_info* info, size_t, void* found) {
    const char* name = info->dlpi_name;
    if (name != nullptr && std::strstr(name, "/libtorch_cpu.so") != nullptr) {
        *static_cast<const char**>(found) = name;
        return 1;
    }
    return 0;
}

void throw_java(JNIEnv* env, const char* message) {
    jclass type = env->FindClass("java/lang/IllegalStateException");
    if (type != nullptr) {
        env->ThrowNew(type, message);
    }
}

void apply(JNIEnv* env, InPlaceUnary op, jlong handle) {
    if (op == nullptr || handle == 0) {
        throw_java(env, "in-place operator not bound, or a closed tensor");
        return;
    }
    try {
        op(*reinterpret_cast<Tensor*>(handle));
    } catch (const std::exception& e) {  // c10::Error: must not cross into the JVM
        throw_java(env, e.what());
    } catch (...) {
        throw_java(env, "libtorch threw an unknown exception");
    }
}

}  // namespace

extern "C" {

// Sets an environment variable of this process unless it is set; true if it now has the value.
// Java has no setenv; libraries loaded by DJL read some settings only from the environment.
JNIEXPORT jboolean JNICALL Java_io_roentgen_engine_torch_NativeLibrary_setenvIfUnset(
        JNIEnv* env, jclass, jstring name, jstring value) {
    const char* n = env->GetStringUTFChars(name, nullptr);
    const char* v = env->GetStringUTFChars(value, nullptr);
    jboolean result = JNI_FALSE;
    if (n != nullptr && v != nullptr) {
        result = setenv(n, v, 0) == 0 && std::strcmp(std::getenv(n), v) == 0 ? JNI_TRUE : JNI_FALSE;
    }
    if (v != nullptr) {
        env->ReleaseStringUTFChars(value, v);
    }
    if (n != nullptr) {
        env->ReleaseStringUTFChars(name, n);
    }
    return result;
}

JNIEXPORT jboolean JNICALL Java_io_roentgen_engine_torch_InPlaceOps_bind(JNIEnv*, jclass) {
    const char* path = nullptr;
    dl_iterate_phdr(remember_libtorch, &path);
    if (path == nullptr) {
        return JNI_FALSE;
    }
    void* library = dlopen(path, RTLD_NOW | RTLD_NOLOAD);  // already loaded by DJL: no new copy
    if (library == nullptr) {
        return JNI_FALSE;
    }
    relu_ = reinterpret_cast<InPlaceUnary>(dlsym(library, "_ZN2at4_ops5relu_4callERNS_6TensorE"));
    relu6_ = reinterpret_cast<InPlaceUnary>(dlsym(library, "_ZN2at4_ops6relu6_4callERNS_6TensorE"));
    return relu_ != nullptr && relu6_ != nullptr ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT void JNICALL Java_io_roentgen_engine_torch_InPlaceOps_reluInPlace(JNIEnv* env, jclass, jlong handle) {
    apply(env, relu_, handle);
}

JNIEXPORT void JNICALL Java_io_roentgen_engine_torch_InPlaceOps_relu6InPlace(JNIEnv* env, jclass, jlong handle) {
    apply(env, relu6_, handle);
}

}  // extern "C"
