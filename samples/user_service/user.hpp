// User: the record UserService looks up.
#ifndef DOTASYNC_SAMPLES_USER_SERVICE_USER_HPP
#define DOTASYNC_SAMPLES_USER_SERVICE_USER_HPP

#include <string>

namespace user_service {

struct User {
    int Id = 0;
    std::string Name;
};

} // namespace user_service

#endif
