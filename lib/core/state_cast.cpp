#include <dotasync/core/state_cast.hpp>

#include "core/detail/type_name.hpp"

#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace dotasync::detail {

namespace {

class upcast_registry {
public:
    static upcast_registry& instance()
    {
        static upcast_registry registry;
        return registry;
    }

    bool add(std::type_index type, const state_upcast* upcast)
    {
        std::unique_lock lock(mutex_);
        return upcasts_.emplace(type, upcast).second;
    }

    const state_upcast* find(std::type_index type) const noexcept
    {
        std::shared_lock lock(mutex_);
        const auto it = upcasts_.find(type);
        return it == upcasts_.end() ? nullptr : it->second;
    }

private:
    mutable std::shared_mutex mutex_;
    std::unordered_map<std::type_index, const state_upcast*> upcasts_;
};

} // namespace

bool register_state_upcast(std::type_index type, const state_upcast* upcast)
{
    return upcast_registry::instance().add(type, upcast);
}

const state_upcast* find_state_upcast(std::type_index type) noexcept
{
    return upcast_registry::instance().find(type);
}

bool is_null_state(const std::any& state) noexcept
{
    if (holds_no_state(state))
        return true;
    if (const auto* text = std::any_cast<const char*>(&state))
        return *text == nullptr;
    if (const auto* text = std::any_cast<char*>(&state))
        return *text == nullptr;
    return false;
}

void throw_invalid_cast(const std::type_info& from, const std::type_info& to)
{
    throw InvalidCastException("Unable to cast object of type '" + type_name(from) + "' to type '" + type_name(to) +
                               "'.");
}

void throw_null_cast(const std::type_info& to)
{
    throw InvalidCastException("Unable to cast a null state to type '" + type_name(to) +
                               "'; read it as a pointer, a shared_ptr or a std::optional to accept null.");
}

} // namespace dotasync::detail
