#include <dotasync/http/service_point_manager.hpp>

#include <mutex>

namespace dotasync {

namespace {

std::mutex callback_mutex;
RemoteCertificateValidationCallback callback;

} // namespace

RemoteCertificateValidationCallback ServicePointManager::ServerCertificateValidationCallback()
{
    std::lock_guard lock(callback_mutex);
    return callback;
}

void ServicePointManager::ServerCertificateValidationCallback(RemoteCertificateValidationCallback value)
{
    std::lock_guard lock(callback_mutex);
    callback = std::move(value);
}

} // namespace dotasync
