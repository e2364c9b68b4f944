// .NET's ApmFileReader, ported: opens User.txt with File::OpenRead, starts
// BeginRead(buffer, 0, 1024, ReadCallbackAsync, buffer) and lets the callback
// take the buffer back from AsyncState(), call EndRead and print what was
// read. Run it from the folder that holds User.txt.
#include <dotasync/dotasync.hpp>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

using namespace dotasync;

class ApmFileReader {
public:
    static int Main()
    {
        auto buffer = std::make_shared<std::vector<std::uint8_t>>(1024);
        fs_ = File::OpenRead("User.txt");
        // The buffer travels as the state, as the .NET sample passes it.
        IAsyncResultPtr ar = fs_->BeginRead(*buffer, 0, 1024, ReadCallbackAsync, buffer);
        std::cout << "BeginRead returned (completed synchronously: " << std::boolalpha
                  << ar->CompletedSynchronously() << ")\n";
        // A console program must not end before its callback has run.
        done_.WaitOne();
        fs_->Close();
        return 0;
    }

private:
    static void ReadCallbackAsync(const IAsyncResultPtr& ar)
    {
        auto buffer = std::any_cast<std::shared_ptr<std::vector<std::uint8_t>>>(ar->AsyncState());
        const int bytesRead = fs_->EndRead(ar);
        std::cout << "Read " << bytesRead << " bytes:\n"
                  << std::string(reinterpret_cast<const char*>(buffer->data()), static_cast<std::size_t>(bytesRead));
        done_.Set();
    }

    static inline std::unique_ptr<FileStream> fs_;
    static inline ManualResetEvent done_{false};
};

int main()
{
    try {
        return ApmFileReader::Main();
    } catch (const Exception& e) {
        std::cerr << "apm_file_reader: " << e.Message() << '\n';
        return 1;
    }
}
