import logging, subprocess
from flask import Flask, request
from oslo_concurrency import lockutils

app = Flask(__name__)
LOG = logging.getLogger(__name__)

@app.route("/iface")
def add_address():
    name = request.args["name"]
    cidr = request.args.get("cidr", "")
    with lockutils.lock("iface-" + name):
        cmd = "ip addr add %s dev %s" % (cidr, name)
        subprocess.run(cmd, shell=True, check=True)
    LOG.info("configured %s with password %s", name, app.config["ADMIN_PASSWORD"])
    return "ok"
