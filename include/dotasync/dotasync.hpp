// Everything dotasync offers, in one include.
#ifndef DOTASYNC_DOTASYNC_HPP
#define DOTASYNC_DOTASYNC_HPP

#include <dotasync/core/apm_token.hpp>
#include <dotasync/core/cancellation.hpp>
#include <dotasync/core/error_mapping.hpp>
#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/iasync_result.hpp>
#include <dotasync/core/logging.hpp>
#include <dotasync/core/wait_handle.hpp>

#include <dotasync/threading/thread_pool.hpp>

#include <dotasync/apm/delegate.hpp>

#include <dotasync/tap/task.hpp>
#include <dotasync/tap/task_completion_source.hpp>
#include <dotasync/tap/task_factory.hpp>
#include <dotasync/tap/task_to_async_result.hpp>

#endif
