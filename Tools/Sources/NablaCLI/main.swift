// The `nabla` executable: everything lives in NablaTools so that tests run the commands in-process.
import Foundation
import NablaTools

exit(NablaTool.run(NablaTool.processArguments))
