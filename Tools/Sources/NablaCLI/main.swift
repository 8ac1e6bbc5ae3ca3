// The `nabla` executable: everything lives in NablaTools so that tests run the commands in-process.
import Foundation
import NablaTools
import NablaSampling

// The ops NablaSampling adds to the Autograd registry (lgamma, polygamma, the gamma quantile), so
// `nabla gradcheck` checks them too.
SamplingOperators.register()

exit(NablaTool.run(NablaTool.processArguments))
