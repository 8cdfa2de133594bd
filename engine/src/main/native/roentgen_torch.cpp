// In-place libtorch activations that DJL 0.36 does not expose (relu_, relu6_), and the switch for
// libtorch's junk fill of fresh CPU allocations (tests use it to make reads of uninitialised
// memory fail every time).
//
// DJL hands a tensor to Java as the address of a heap-allocated at::Tensor. libtorch exports its
// operators as at::_ops::NAME::call(at::Tensor&), so this library needs no libtorch headers and
// does not link libtorch: it finds the libtorch_cpu.so that DJL already loaded and looks the two
// operators up by their mangled names. If either is missing (another libtorch), bind() says so and
// the Java side keeps DJL's out-of-place operators.
#include <jni.h>

#include <dlfcn.h>
#include <link.h>

#include <cstring>
#include <exception>

namespace {

struct Tensor;  // at::Tensor, never dereferenced here
using InPlaceUnary = Tensor& (*)(Tensor&);

InPlaceUnary relu_ = nullptr;
InPlaceUnary relu6_ = nullptr;

struct LibrarySearch {
    const char* suffix;  // "/libtorch_cpu.so"
    const char* path;    // set when found
};

int remember_library(struct dl_phdr_info* info, size_t, void* data) {
    auto* search = static_cast<LibrarySearch*>(data);
    const char* name = info->dlpi_name;
    if (name != nullptr && std::strstr(name, search->suffix) != nullptr) {
        search->path = name;
        return 1;
    }
    return 0;
}

// A handle to a library DJL already loaded (RTLD_NOLOAD: never a second copy), or null.
void* loaded_library(const char* suffix) {
    LibrarySearch search{suffix, nullptr};
    dl_iterate_phdr(remember_library, &search);
    return search.path == nullptr ? nullptr : dlopen(search.path, RTLD_NOW | RTLD_NOLOAD);
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

// Fills every new CPU tensor allocation with NaN (c10's FLAGS_caffe2_cpu_allocator_do_junk_fill,
// a plain exported bool in libc10.so) while on; returns false where libc10 or the flag is missing.
JNIEXPORT jboolean JNICALL Java_io_roentgen_engine_torch_NativeLibrary_setJunkFill(JNIEnv*, jclass, jboolean on) {
    void* library = loaded_library("/libc10.so");
    if (library == nullptr) {
        return JNI_FALSE;
    }
    bool* flag = static_cast<bool*>(dlsym(library, "FLAGS_caffe2_cpu_allocator_do_junk_fill"));
    if (flag == nullptr) {
        return JNI_FALSE;
    }
    *flag = on == JNI_TRUE;
    return JNI_TRUE;
}

JNIEXPORT jboolean JNICALL Java_io_roentgen_engine_torch_InPlaceOps_bind(JNIEnv*, jclass) {
    void* library = loaded_library("/libtorch_cpu.so");
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
