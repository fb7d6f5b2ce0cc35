# The installable program on Windows: what scripts/build.sh does on Linux. A one-folder
# PyInstaller build (packaging/incubator.spec) named with the version, and its .zip, in dist\.
# Then the built program itself, not the source, is tried in a clean environment (no virtual
# environment on PATH, a home of its own): --version, demo data, an organization report, a
# committee pack with documents, the desktop window starting offscreen, and install.ps1 into
# that home. Takes a few minutes. From the repository's folder, in PowerShell:
#
#   powershell -NoProfile -ExecutionPolicy Bypass -File scripts\build-windows.ps1
#
# Needs Python 3.11 or newer from python.org: the "py" launcher, or -Python C:\path\python.exe.
# NOT YET RUN ON WINDOWS: written beside scripts/build.sh, which is run and checked on Linux.
param([string]$Python = "")
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")

function Invoke-Checked([string]$what, [scriptblock]$command) {
    & $command
    if ($LASTEXITCODE -ne 0) { throw "$what failed (exit $LASTEXITCODE)" }
}

function Invoke-Python {
    if ($Python) { & $Python @args } else { & py -3 @args }
}

# --- the build environment: .venv with the project and PyInstaller -----------------------
if (-not (Test-Path .venv\Scripts\python.exe)) {
    Invoke-Checked "checking for Python 3.11 or newer" {
        Invoke-Python -c "import sys; sys.exit(sys.version_info < (3, 11))"
    }
    Invoke-Checked "making .venv" { Invoke-Python -m venv .venv }
}
$venv = (Resolve-Path .venv\Scripts\python.exe).Path
Invoke-Checked "installing pip" { & $venv -m pip install -q --upgrade pip }
Invoke-Checked "installing the project" { & $venv -m pip install -q -e ".[build]" }

$version = (& $venv -c "import incubator; print(incubator.__version__)").Trim()
$arch = switch ($env:PROCESSOR_ARCHITECTURE) { "AMD64" { "x86_64" } "ARM64" { "arm64" } default { $_ } }
$name = "incubator-registry-$version-windows-$arch"
$folder = "dist\$name"
Remove-Item -Recurse -Force -ErrorAction SilentlyContinue build\pyinstaller, $folder, "$folder.zip"

Invoke-Checked "drawing the icon" { & $venv packaging\windows\make_icon.py build\incubator-registry.ico }
Invoke-Checked "PyInstaller" {
    & $venv -m PyInstaller --noconfirm --log-level WARN --distpath build\pyinstaller\dist `
        --workpath build\pyinstaller\work packaging\incubator.spec
}
New-Item -ItemType Directory -Force -Path dist | Out-Null
Move-Item build\pyinstaller\dist\incubator $folder
# Qt's Chinese catalog and the libraries' metadata (the About box's versions) are inside.
Invoke-Checked "checking the build" { & $venv packaging\check_build.py $folder }
# What puts it in the Start menu, for this user alone (no administrator): install.cmd
Copy-Item packaging\windows\install.ps1, packaging\windows\install.cmd $folder
Compress-Archive -Path $folder -DestinationPath "$folder.zip"

# --- the built program, tried as an office computer would run it -------------------------
$try = Join-Path ([IO.Path]::GetTempPath()) ("incubator-try-" + [Guid]::NewGuid())
New-Item -ItemType Directory -Path $try, "$try\home", "$try\appdata", "$try\localappdata" | Out-Null
$saved = @{ PATH = $env:PATH; INCUBATOR_HOME = $env:INCUBATOR_HOME; APPDATA = $env:APPDATA;
            LOCALAPPDATA = $env:LOCALAPPDATA; VIRTUAL_ENV = $env:VIRTUAL_ENV; PYTHONPATH = $env:PYTHONPATH;
            QT_QPA_PLATFORM = $env:QT_QPA_PLATFORM }
try {
    # Nothing of this machine's Python around it: Windows' own folders on PATH, no venv.
    $env:PATH = "$env:SystemRoot\System32;$env:SystemRoot;$env:SystemRoot\System32\WindowsPowerShell\v1.0"
    $env:VIRTUAL_ENV = $null; $env:PYTHONPATH = $null
    $env:INCUBATOR_HOME = "$try\home"
    $env:APPDATA = "$try\appdata"; $env:LOCALAPPDATA = "$try\localappdata"
    $program = (Resolve-Path "$folder\incubator.exe").Path
    $registry = "$try\registry.sqlite3"
    $year = (Get-Date).Year
    Invoke-Checked "incubator --version" { & $program --version }
    Invoke-Checked "incubator demo" { & $program demo --orgs 24 --db $registry | Out-Null }
    Invoke-Checked "incubator report org" {
        & $program report org 1 --period $year --out "$try\org.pdf" --db $registry --lang zh_CN
    }
    Invoke-Checked "incubator report pack" {
        & $program report pack --period $year --with-documents --out "$try\pack.pdf" --db $registry
    }
    # The window: still up after 15 s, having said nothing on stderr; then the same from the
    # program without a console that the Start-menu entry opens.
    $env:QT_QPA_PLATFORM = "offscreen"
    foreach ($exe in "incubator.exe", "IncubatorRegistry.exe") {
        $window = Start-Process -PassThru -FilePath (Resolve-Path "$folder\$exe").Path -ArgumentList "--db", "`"$registry`"" `
            -RedirectStandardError "$try\window.err"
        Start-Sleep -Seconds 15
        if ($window.HasExited -or (Select-String -Quiet Traceback "$try\window.err")) {
            throw "${exe}: the desktop window did not stay up: $(Get-Content -Raw "$try\window.err")"
        }
        Stop-Process -Id $window.Id -Force
        $window.WaitForExit()
    }
    $env:QT_QPA_PLATFORM = $null
    # Installed for a user of its own: the program and its Start-menu entry are there.
    Invoke-Checked "install.ps1" {
        powershell -NoProfile -ExecutionPolicy Bypass -File "$folder\install.ps1" | Out-Null
    }
    $installed = "$try\localappdata\Programs\IncubatorRegistry\incubator.exe"
    $entry = Get-ChildItem "$try\appdata\Microsoft\Windows\Start Menu\Programs\Incubator Registry*.lnk"
    if (-not (Test-Path $installed) -or -not $entry) { throw "install.ps1 did not install the program and its entry" }
    Invoke-Checked "the installed incubator --version" { & $installed --version | Out-Null }
    Invoke-Checked "install.ps1 -Uninstall" {
        powershell -NoProfile -ExecutionPolicy Bypass -File "$folder\install.ps1" -Uninstall | Out-Null
    }
    if (Test-Path $installed) { throw "install.ps1 -Uninstall left the program" }
} finally {
    foreach ($key in $saved.Keys) { [Environment]::SetEnvironmentVariable($key, $saved[$key]) }
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $try
}
$size = "{0:N0} MB" -f ((Get-ChildItem -Recurse $folder | Measure-Object Length -Sum).Sum / 1MB)
$zip = "{0:N0} MB" -f ((Get-Item "$folder.zip").Length / 1MB)
Write-Output "built and tried: $folder\ ($size), $folder.zip ($zip)"
