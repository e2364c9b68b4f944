// Captures what the dotasync logger writes while the object lives.
#pragma once

#include <dotasync/core/logging.hpp>

#include <spdlog/logger.h>
#include <spdlog/sinks/base_sink.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>

namespace dotasync_test {

class log_capture {
public:
    log_capture() : sink_(std::make_shared<string_sink>()) { dotasync::logger()->sinks().push_back(sink_); }

    ~log_capture()
    {
        auto& sinks = dotasync::logger()->sinks();
        sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
    }

    log_capture(const log_capture&) = delete;
    log_capture& operator=(const log_capture&) = delete;

    std::string text() { return sink_->text(); }

private:
    // Reads the text under the sink's own mutex, so a test may look while
    // other threads are still logging.
    class string_sink : public spdlog::sinks::base_sink<std::mutex> {
    public:
        std::string text()
        {
            std::lock_guard lock(mutex_);
            return text_;
        }

    protected:
        void sink_it_(const spdlog::details::log_msg& msg) override
        {
            spdlog::memory_buf_t formatted;
            formatter_->format(msg, formatted);
            text_.append(formatted.data(), formatted.size());
        }
        void flush_() override {}

    private:
        std::string text_;
    };

    std::shared_ptr<string_sink> sink_;
};

} // namespace dotasync_test
