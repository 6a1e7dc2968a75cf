import os
import pathlib
import sys

# Kernels started by the notebook tests inherit this: jupyter_core's platformdirs warning
# would otherwise be an error under filterwarnings = ["error"].
os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
sys.path.insert(0, str(pathlib.Path(__file__).parent))
