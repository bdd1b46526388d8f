import SwitchboardServer
print("switchboard")
