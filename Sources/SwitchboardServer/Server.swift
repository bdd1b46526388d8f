import SIPCore
