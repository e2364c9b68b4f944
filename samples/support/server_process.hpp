// Starts a sample server program as a child process and reads the ports it
// prints ("apm port P", "native port Q", ...), for the samples that drive
// legacy_echo_server.
#pragma once

#include <csignal>
#include <cstdio>
#include <map>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace sample {

class server_process {
public:
    // Runs path with args; waits until it has printed "<name> port N" for
    // every name in wanted (or has exited).
    server_process(const std::string& path, std::vector<std::string> args, const std::vector<std::string>& wanted)
    {
        int fds[2];
        if (pipe(fds) != 0)
            return;
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
        posix_spawn_file_actions_addclose(&actions, fds[0]);
        args.insert(args.begin(), path);
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        const int rc = posix_spawn(&pid_, path.c_str(), &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        close(fds[1]);
        if (rc != 0) {
            pid_ = -1;
            close(fds[0]);
            return;
        }
        out_ = fdopen(fds[0], "r");
        char line[128];
        while (ports_.size() < wanted.size() && std::fgets(line, sizeof line, out_)) {
            char name[32];
            int port = 0;
            if (std::sscanf(line, "%31s port %d", name, &port) == 2)
                ports_[name] = port;
        }
    }

    server_process(const server_process&) = delete;
    server_process& operator=(const server_process&) = delete;

    ~server_process()
    {
        if (pid_ > 0)
            stop();
    }

    bool started() const { return pid_ > 0; }
    pid_t pid() const { return pid_; }
    // The port the server printed for name, 0 if none.
    int port(const std::string& name) const
    {
        const auto it = ports_.find(name);
        return it == ports_.end() ? 0 : it->second;
    }

    // SIGTERM, then waits; true when the server exited with status 0 (a
    // server that does not handle SIGTERM ends by it, which is false).
    bool stop()
    {
        if (pid_ <= 0)
            return false;
        kill(pid_, SIGTERM);
        int status = 0;
        waitpid(pid_, &status, 0);
        pid_ = -1;
        if (out_)
            std::fclose(out_);
        out_ = nullptr;
        return WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }

private:
    pid_t pid_ = -1;
    FILE* out_ = nullptr;
    std::map<std::string, int> ports_;
};

} // namespace sample
